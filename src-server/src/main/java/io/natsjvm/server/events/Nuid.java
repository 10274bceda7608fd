package io.natsjvm.server.events;

import java.security.SecureRandom;

/**
 * 22-character unique ids for events, in the reference's format: a random 12-character base62
 * prefix and a 10-character sequence that steps by a random increment. Thread-safe.
 */
public final class Nuid {
    private static final char[] DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int PREFIX = 12;
    private static final int SEQ = 10;
    private static final long MAX_SEQ = 839299365868340224L; // 62^10
    private final SecureRandom random = new SecureRandom();
    private final char[] prefix = new char[PREFIX];
    private long seq;
    private long inc;

    public Nuid() {
        reset();
    }

    private void reset() {
        for (int i = 0; i < PREFIX; i++) {
            prefix[i] = DIGITS[random.nextInt(DIGITS.length)];
        }
        seq = Math.floorMod(random.nextLong(), MAX_SEQ);
        inc = 33 + random.nextInt(300);
    }

    public synchronized String next() {
        seq += inc;
        if (seq >= MAX_SEQ) {
            reset();
        }
        char[] out = new char[PREFIX + SEQ];
        System.arraycopy(prefix, 0, out, 0, PREFIX);
        long v = seq;
        for (int i = PREFIX + SEQ - 1; i >= PREFIX; i--) {
            out[i] = DIGITS[(int) (v % 62)];
            v /= 62;
        }
        return new String(out);
    }
}
