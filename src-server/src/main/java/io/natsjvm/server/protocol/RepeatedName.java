package io.natsjvm.server.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The last name (subject, account, origin cluster) decoded from a buffer: a connection sends the
 * same one over and over, so a repeat is compared byte by byte and costs no allocation.
 * One instance per parser, used on its event loop.
 */
final class RepeatedName {
    private byte[] bytes = new byte[0];
    private String value = "";

    /** The name at {@code at}; the same String instance as last time when the bytes repeat. */
    String decode(ByteBuf buf, int at, int len) {
        byte[] last = bytes;
        if (last.length == len) {
            int i = 0;
            while (i < len && buf.getByte(at + i) == last[i]) {
                i++;
            }
            if (i == len) {
                return value;
            }
        }
        byte[] b = new byte[len];
        buf.getBytes(at, b);
        bytes = b;
        value = new String(b, StandardCharsets.UTF_8);
        return value;
    }

    String last() {
        return value;
    }
}
