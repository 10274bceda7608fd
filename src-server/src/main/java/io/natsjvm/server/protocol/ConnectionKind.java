package io.natsjvm.server.protocol;

/**
 * What is on the other end of a connection, with the reference's names. The kind decides which
 * protocol lines a connection may send, where its messages may be forwarded (a message that came
 * over a route is never sent to another route) and whether its producers may be stalled.
 */
public enum ConnectionKind {
    CLIENT("cid"),
    ROUTER("rid"),
    GATEWAY("gid"),
    SYSTEM("sid"),
    LEAF("lid"),
    /** The server's own publisher inside an account: imports re-publishing across accounts. */
    ACCOUNT("aid");

    private final String idLabel;

    ConnectionKind(String idLabel) {
        this.idLabel = idLabel;
    }

    /** The label of the connection id in log lines ({@code cid:7}, {@code rid:3} ...). */
    public String idLabel() {
        return idLabel;
    }
}
