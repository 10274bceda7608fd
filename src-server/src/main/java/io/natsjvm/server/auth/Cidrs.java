package io.natsjvm.server.auth;

import java.net.InetAddress;
import java.util.List;

/** The {@code src} restriction of a user JWT: the client's address must be in one of the CIDR blocks. */
public final class Cidrs {
    private Cidrs() {
    }

    /** True if {@code ip} is inside any block ("10.0.0.0/8", "::1/128", or a bare address). */
    public static boolean contains(List<String> blocks, String ip) {
        byte[] addr;
        try {
            addr = InetAddress.getByName(ip).getAddress();
        } catch (Exception e) {
            return false;
        }
        for (String block : blocks) {
            if (inBlock(block.trim(), addr)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inBlock(String block, byte[] addr) {
        int slash = block.indexOf('/');
        byte[] net;
        try {
            net = InetAddress.getByName(slash < 0 ? block : block.substring(0, slash)).getAddress();
        } catch (Exception e) {
            return false; // a malformed block matches nothing
        }
        if (net.length != addr.length) {
            return false;
        }
        int bits = slash < 0 ? net.length * 8 : Integer.parseInt(block.substring(slash + 1));
        for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((net[i] & mask) != (addr[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
