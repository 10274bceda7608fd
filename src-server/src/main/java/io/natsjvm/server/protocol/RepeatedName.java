package io.natsjvm.server.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last name (subject, account, origin cluster) decoded from a protocol line: a connection sends the
 * same one over and over, so a repeat is compared byte by byte and costs no allocation.
 * One instance per parser, used on its event loop.
 */
final class RepeatedName {
    private byte[] bytes = new byte[0];
    private String value = "";

    /** The name in {@code src[at, at + len)}; the same String instance as last time when the bytes repeat. */
    String decode(byte[] src, int at, int len) {
        byte[] last = bytes;
        if (last.length == len && Arrays.equals(last, 0, len, src, at, at + len)) {
            return value;
        }
        bytes = Arrays.copyOfRange(src, at, at + len);
        value = new String(bytes, StandardCharsets.UTF_8);
        return value;
    }

    String last() {
        return value;
    }
}
