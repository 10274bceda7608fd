package io.natsjvm.resolver.nkey;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * An nkey with its private half: made from a seed ("SU...", "SA...", "SO...") or freshly
 * generated; signs with ed25519. Used to sign JWTs (key tool, tests) and nonces (test clients).
 */
public final class NKeyPair {
    private final int prefix;
    private final byte[] seed;
    private final String publicKey;
    private final PrivateKey privateKey;

    private NKeyPair(int prefix, byte[] seed) {
        this.prefix = prefix;
        this.seed = seed.clone();
        try {
            this.privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            this.publicKey = NKeys.encode(prefix, NKeys.rawPublicKey(privateKey, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 not available", e);
        }
    }

    /** A new random key of the given type (NKeys.PREFIX_USER, _ACCOUNT, _OPERATOR ...). */
    public static NKeyPair create(int prefix) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new NKeyPair(prefix, seed);
    }

    /** Decodes an encoded seed ("S" + type letter ...). */
    public static NKeyPair fromSeed(String encoded) {
        byte[] raw = NKeys.unbase32(encoded.trim());
        if (raw.length != 36) {
            throw new IllegalArgumentException("invalid seed length");
        }
        int crc = (raw[34] & 0xff) | (raw[35] & 0xff) << 8;
        if (crc != NKeys.crc16(raw, 0, 34)) {
            throw new IllegalArgumentException("invalid seed checksum");
        }
        int b1 = raw[0] & 0xff;
        int b2 = raw[1] & 0xff;
        if ((b1 & 0xf8) != NKeys.PREFIX_SEED) {
            throw new IllegalArgumentException("not a seed");
        }
        int prefix = ((b1 & 7) << 5) | (b2 >> 3);
        return new NKeyPair(prefix, Arrays.copyOfRange(raw, 2, 34));
    }

    public String publicKey() {
        return publicKey;
    }

    public int prefix() {
        return prefix;
    }

    /** The encoded seed, as .creds files and nsc store it. */
    public String encodedSeed() {
        byte[] raw = new byte[36];
        raw[0] = (byte) (NKeys.PREFIX_SEED | (prefix >> 5));
        raw[1] = (byte) ((prefix & 31) << 3);
        System.arraycopy(seed, 0, raw, 2, 32);
        int crc = NKeys.crc16(raw, 0, 34);
        raw[34] = (byte) crc;
        raw[35] = (byte) (crc >>> 8);
        return NKeys.base32(raw);
    }

    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
