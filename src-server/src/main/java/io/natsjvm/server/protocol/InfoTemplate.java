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
    /** {@code INFO {...,"max_payload":N}} without the closing brace: what comes before the client's fields. */
    private final String prefix;
    /** The fields after the client's (cluster, connect_urls), each with its leading comma. */
    private final String suffix;

    public InfoTemplate(ServerInfo info) {
        this.info = info;
        ServerInfo shared = new ServerInfo(info.serverId(), info.serverName(), info.version(), info.proto(), info.go(),
                info.host(), info.port(), info.headers(), info.authRequired(), info.tlsRequired(), info.tlsVerify(),
                info.tlsAvailable(), info.maxPayload(), 0, null, null,
                info.cluster(), info.connectUrls());
        String line = new String(shared.toProtocolLine(), StandardCharsets.UTF_8);
        String json = line.substring(0, line.lastIndexOf('}'));
        int cut = firstOf(json, ",\"cluster\":", ",\"connect_urls\":");
        this.prefix = json.substring(0, cut);
        this.suffix = json.substring(cut);
    }

    private static int firstOf(String json, String... keys) {
        int cut = json.length();
        for (String k : keys) {
            int i = json.indexOf(k);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        return cut;
    }

    /** client_id, client_ip and nonce come between the shared fields and the cluster ones. */
    private byte[] line(long cid, String ip, String nonce, boolean lameDuck) {
        StringBuilder sb = new StringBuilder(prefix.length() + suffix.length() + 96).append(prefix)
                .append(",\"client_id\":").append(cid);
        if (ip != null && !ip.isEmpty()) {
            sb.append(",\"client_ip\":\"").append(ip).append('"');
        }
        if (nonce != null && !nonce.isEmpty()) {
            sb.append(",\"nonce\":\"").append(nonce).append('"');
        }
        sb.append(suffix);
        if (lameDuck) {
            sb.append(",\"ldm\":true");
        }
        return sb.append("} \r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    public ServerInfo info() {
        return info;
    }

    /** The INFO a new client gets. */
    public byte[] forClient(long cid, String ip, String nonce) {
        return line(cid, ip, nonce, false);
    }

    /** The asynchronous INFO of lame duck mode ({@code "ldm":true}). */
    public byte[] lameDuck(long cid, String ip) {
        return line(cid, ip, null, true);
    }

    /** An asynchronous INFO with the current template (no nonce: the client is logged in). */
    public byte[] async(long cid, String ip) {
        return line(cid, ip, null, false);
    }

    @Override
    public String toString() {
        return new String(forClient(0, null, null), StandardCharsets.UTF_8);
    }
}
