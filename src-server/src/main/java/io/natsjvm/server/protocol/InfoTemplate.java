package io.natsjvm.server.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The server's INFO, serialised once and completed per client: the shared part is rendered when
 * the template is built, and client_id, client_ip and nonce (last in the reference's field order)
 * are appended as text. Immutable: a change (cluster URLs, lame duck) builds a new template that
 * the server swaps in and can re-send to live clients as an asynchronous INFO.
 */
public final class InfoTemplate {
    private final ServerInfo info;
    private final String prefix;

    public InfoTemplate(ServerInfo info) {
        this.info = info;
        this.prefix = info.sharedPrefix();
    }

    public ServerInfo info() {
        return info;
    }

    /** The INFO a new client gets. */
    public byte[] forClient(long cid, String ip, String nonce) {
        return ServerInfo.lineForClient(prefix, cid, ip, nonce);
    }

    /** The asynchronous INFO of lame duck mode ({@code "ldm":true}). */
    public byte[] lameDuck(long cid, String ip) {
        return ServerInfo.lameDuckLine(prefix, cid, ip);
    }

    /** An asynchronous INFO with the current template (no nonce: the client is logged in). */
    public byte[] async(long cid, String ip) {
        return ServerInfo.lineForClient(prefix, cid, ip, null);
    }

    @Override
    public String toString() {
        return new String(forClient(0, null, null), StandardCharsets.UTF_8);
    }
}
