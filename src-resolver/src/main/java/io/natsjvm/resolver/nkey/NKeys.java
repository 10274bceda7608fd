package io.natsjvm.resolver.nkey;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * NKey public keys: a prefix byte naming the key type, the 32 ed25519 key bytes and a CRC16
 * (XMODEM, little-endian), in unpadded RFC 4648 base32; and ed25519 signature checks against
 * them (the JDK's own Ed25519, no extra provider).
 */
public final class NKeys {
    public static final int PREFIX_SEED = 18 << 3;     // 'S'
    public static final int PREFIX_SERVER = 13 << 3;   // 'N'
    public static final int PREFIX_ACCOUNT = 0;        // 'A'
    public static final int PREFIX_USER = 20 << 3;     // 'U'
    public static final int PREFIX_OPERATOR = 14 << 3; // 'O'
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private NKeys() {
    }

    /** A fresh server identity: the public key of a new ed25519 key pair, encoded with prefix N. */
    public static String newServerId() {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] x509 = kp.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            return encode(PREFIX_SERVER, raw);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 not available", e);
        }
    }

    public static String encode(int prefix, byte[] key) {
        byte[] raw = new byte[1 + key.length + 2];
        raw[0] = (byte) prefix;
        System.arraycopy(key, 0, raw, 1, key.length);
        int crc = crc16(raw, 0, 1 + key.length);
        raw[raw.length - 2] = (byte) crc;
        raw[raw.length - 1] = (byte) (crc >>> 8);
        return base32(raw);
    }

    /**
     * The 32 key bytes of a public nkey with the expected prefix.
     *
     * @throws IllegalArgumentException naming what is wrong (encoding, checksum, type)
     */
    public static byte[] decodePublic(String key, int expectedPrefix) {
        if (key == null || key.length() != 56) {
            throw new IllegalArgumentException("invalid nkey length");
        }
        byte[] raw = unbase32(key);
        if (raw.length != 35) {
            throw new IllegalArgumentException("invalid nkey encoding");
        }
        int crc = (raw[33] & 0xff) | (raw[34] & 0xff) << 8;
        if (crc != crc16(raw, 0, 33)) {
            throw new IllegalArgumentException("invalid nkey checksum");
        }
        if ((raw[0] & 0xff) != expectedPrefix) {
            throw new IllegalArgumentException("invalid nkey type");
        }
        return Arrays.copyOfRange(raw, 1, 33);
    }

    /** True if {@code key} is a well-formed public nkey of the given type. */
    public static boolean isValidPublic(String key, int prefix) {
        try {
            decodePublic(key, prefix);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Verifies an ed25519 signature by the public nkey (any type). */
    public static boolean verify(String publicKey, int prefix, byte[] data, byte[] signature) {
        try {
            return verifyRaw(decodePublic(publicKey, prefix), data, signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Verifies an ed25519 signature by raw 32-byte public key bytes. */
    public static boolean verifyRaw(byte[] key, byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(publicKey(key));
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** RFC 8032 encoding to a JDK key: little-endian y, the top bit of the last byte is x's sign. */
    static PublicKey publicKey(byte[] raw) throws GeneralSecurityException {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = raw[31 - i];
        }
        boolean xOdd = (be[0] & 0x80) != 0;
        be[0] &= 0x7f;
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    /**
     * The raw public key for an ed25519 seed. The JDK has no "public key of this private key"
     * call, but its key-pair generator takes the seed from the SecureRandom it is given, so a
     * random source that yields exactly the seed derives the pair (RFC 8032).
     */
    static byte[] rawPublicKey(java.security.PrivateKey privateKey, byte[] seed) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
        g.initialize(NamedParameterSpec.ED25519, new java.security.SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        });
        byte[] x509 = g.generateKeyPair().getPublic().getEncoded();
        return Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    }

    static int crc16(byte[] data, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= (data[i] & 0xff) << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return crc & 0xffff;
    }

    public static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }

    public static byte[] unbase32(String s) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int v;
            if (c >= 'A' && c <= 'Z') {
                v = c - 'A';
            } else if (c >= '2' && c <= '7') {
                v = c - '2' + 26;
            } else {
                throw new IllegalArgumentException("invalid nkey encoding");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
