package io.natsjvm.server.auth;

/**
 * Outcome of a login: on success the account name (null = global account), the user name for
 * monitoring and the permissions; on failure a reason for the log (the client only ever sees
 * 'Authorization Violation').
 */
public record AuthResult(boolean ok, String account, String user, Permissions permissions, String failure,
        JwtLogin jwt) {
    public static AuthResult success(String account, String user, Permissions permissions) {
        return new AuthResult(true, account, user, permissions, null, null);
    }

    public static AuthResult success(String account, String user, Permissions permissions, JwtLogin jwt) {
        return new AuthResult(true, account, user, permissions, null, jwt);
    }

    public static AuthResult failure(String reason) {
        return new AuthResult(false, null, null, null, reason, null);
    }
}
