package io.natsjvm.server.auth;

/**
 * A configured user: name with a plain or bcrypt password, or an nkey public key; the account
 * it belongs to (null for the global account) and its permissions.
 */
public record UserEntry(String username, String password, String nkey, String account, Permissions permissions) {
    public UserEntry {
        permissions = permissions == null ? Permissions.NONE : permissions;
    }

    public boolean hasBcryptPassword() {
        return password != null && isBcrypt(password);
    }

    /** A bcrypt hash rather than a plain password (what login verifies with bcrypt). */
    public static boolean isBcrypt(String password) {
        return password.startsWith("$2");
    }
}
