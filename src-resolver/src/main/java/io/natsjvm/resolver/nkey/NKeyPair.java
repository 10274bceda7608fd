package io.natsjvm.resolver.nkey;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * An nkey with its private half: made from a seed ("SU...", "SA...", "SO...") or freshly
 * generated; signs with ed25519 (RFC 8032). Used to sign JWTs (key tool, tests) and nonces (test clients).
 */
public final class NKeyPair {
    private final int prefix;
    private final byte[] seed;
    private final byte[] rawPublic;
    private final String publicKey;

    private NKeyPair(int prefix, byte[] seed) {
        this.prefix = prefix;
        this.seed = seed.clone();
        this.rawPublic = NKeys.rawPublicKey(seed);
        this.publicKey = NKeys.encode(prefix, rawPublic);
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
        byte[] sig = new byte[64];
        Ed25519.sign(seed, 0, rawPublic, 0, data, 0, data.length, sig, 0);
        return sig;
    }
}
