package io.natsjvm.server.auth;


import java.util.Set;

/**
 * A configured user: name with a plain or bcrypt password, or an nkey public key; the account
 * it belongs to (null for the global account), its permissions and the connection types it may
 * use ({@code allowed_connection_types}, upper case; empty: any).
 */
public record UserEntry(String username, String password, String nkey, String account, Permissions permissions,
        Set<String> connectionTypes) {
    public UserEntry {
        permissions = permissions == null ? Permissions.NONE : permissions;
        connectionTypes = connectionTypes == null ? Set.of() : Set.copyOf(connectionTypes);
    }

    /** A user any connection type may log in as. */
    public UserEntry(String username, String password, String nkey, String account, Permissions permissions) {
        this(username, password, nkey, account, permissions, Set.of());
    }

    public boolean hasBcryptPassword() {
        return password != null && isBcrypt(password);
    }

    /** A bcrypt hash rather than a plain password (what login verifies with bcrypt). */
    public static boolean isBcrypt(String password) {
        return password.startsWith("$2");
    }
}
