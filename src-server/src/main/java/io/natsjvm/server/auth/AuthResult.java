package io.natsjvm.server.auth;

import java.util.Set;

/**
 * Outcome of a login: on success the account name (null = global account), the user name for
 * monitoring and the permissions; on failure a reason for the log (the client only ever sees
 * 'Authorization Violation').
 */
public record AuthResult(boolean ok, String account, String user, Permissions permissions, String failure,
        JwtLogin jwt, Set<String> connectionTypes) {
    public AuthResult {
        connectionTypes = connectionTypes == null ? Set.of() : connectionTypes;
    }

    public static AuthResult success(String account, String user, Permissions permissions) {
        return new AuthResult(true, account, user, permissions, null, null, Set.of());
    }

    public static AuthResult success(String account, String user, Permissions permissions, JwtLogin jwt) {
        return new AuthResult(true, account, user, permissions, null, jwt, Set.of());
    }

    /** A configured user's login: its connection types go along to be checked against the connection. */
    public static AuthResult success(UserEntry u, String user) {
        return new AuthResult(true, u.account(), user, u.permissions().normalized(), null, null, u.connectionTypes());
    }

    public static AuthResult failure(String reason) {
        return new AuthResult(false, null, null, null, reason, null, Set.of());
    }

    /**
     * Whether a connection of {@code type} (STANDARD, WEBSOCKET, LEAFNODE, LEAFNODE_WS ...) may
     * use this login: a configured user's {@code allowed_connection_types}, or the JWT's.
     */
    public boolean allows(String type) {
        if (jwt != null) {
            return jwt.connectionTypes().isEmpty() || jwt.connectionTypes().stream().anyMatch(type::equalsIgnoreCase);
        }
        return connectionTypes.isEmpty() || connectionTypes.contains(type);
    }
}
