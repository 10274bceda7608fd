package io.natsjvm.resolver.nkey;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NKey public keys: a prefix byte naming the key type, the 32 ed25519 key bytes and a CRC16
 * (XMODEM, little-endian), in unpadded RFC 4648 base32; and ed25519 signature checks against
 * them with BouncyCastle's RFC 8032 code (the JDK's Ed25519 took about 1 ms per check here).
 */
public final class NKeys {
    public static final int PREFIX_SEED = 18 << 3;     // 'S'
    public static final int PREFIX_SERVER = 13 << 3;   // 'N'
    public static final int PREFIX_ACCOUNT = 0;        // 'A'
    public static final int PREFIX_USER = 20 << 3;     // 'U'
    public static final int PREFIX_OPERATOR = 14 << 3; // 'O'
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    /** Decoded public points by encoded key: decoding a point costs about as much as a check. */
    private static final Map<String, Ed25519.PublicPoint> POINTS = new ConcurrentHashMap<>();
    private static final int POINTS_MAX = 100_000;

    private NKeys() {
    }

    /** A fresh server identity: the public key of a new ed25519 key pair, encoded with prefix N. */
    public static String newServerId() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return encode(PREFIX_SERVER, rawPublicKey(seed));
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

    /** Verifies an ed25519 signature by a public nkey of the given type (decoded points are cached). */
    public static boolean verify(String publicKey, int prefix, byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64 || publicKey == null) {
            return false;
        }
        Ed25519.PublicPoint point = POINTS.get(publicKey);
        if (point == null) {
            byte[] raw;
            try {
                raw = decodePublic(publicKey, prefix);
            } catch (IllegalArgumentException e) {
                return false;
            }
            point = Ed25519.validatePublicKeyPartialExport(raw, 0);
            if (point == null) {
                return false;
            }
            if (POINTS.size() >= POINTS_MAX) {
                POINTS.clear();
            }
            POINTS.put(publicKey, point);
        } else if (publicKey.charAt(0) != BASE32[prefix >> 3]) {
            return false; // a cached key of another type
        }
        return Ed25519.verify(signature, 0, point, data, 0, data.length);
    }

    /** Verifies an ed25519 signature by raw 32-byte public key bytes. */
    public static boolean verifyRaw(byte[] key, byte[] data, byte[] signature) {
        if (signature == null || signature.length != 64 || key == null || key.length != 32) {
            return false;
        }
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(key, 0);
        return point != null && Ed25519.verify(signature, 0, point, data, 0, data.length);
    }

    /** The raw public key for an ed25519 seed (RFC 8032). */
    static byte[] rawPublicKey(byte[] seed) {
        byte[] pk = new byte[32];
        Ed25519.generatePublicKey(seed, 0, pk, 0);
        return pk;
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
