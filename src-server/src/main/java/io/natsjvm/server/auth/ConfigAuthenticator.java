package io.natsjvm.server.auth;

import io.natsjvm.server.protocol.ConnectOptions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authentication from the config file: a token, a single user/password, or a list of users
 * (from {@code authorization.users} and from {@code accounts.*.users}).
 */
public final class ConfigAuthenticator implements Authenticator {
    private final String token;
    private final Permissions tokenPermissions;
    private final Map<String, UserEntry> users = new HashMap<>();
    private final PasswordMatcher passwords = new PasswordMatcher();

    public ConfigAuthenticator(String token, Permissions tokenPermissions, List<UserEntry> users) {
        this.token = token;
        this.tokenPermissions = tokenPermissions == null ? Permissions.NONE : tokenPermissions;
        for (UserEntry u : users) {
            if (u.username() != null) {
                this.users.put(u.username(), u);
            }
        }
    }

    @Override
    public boolean required() {
        return token != null || !users.isEmpty();
    }

    @Override
    public AuthResult authenticate(ConnectOptions c, String nonce) {
        if (!users.isEmpty()) {
            if (c.user() == null || c.user().isEmpty()) {
                if (token == null) {
                    return AuthResult.failure("no user given");
                }
            } else {
                UserEntry u = users.get(c.user());
                if (u == null) {
                    return AuthResult.failure("unknown user \"" + c.user() + "\"");
                }
                if (!passwords.matches(u.password(), c.pass())) {
                    return AuthResult.failure("bad password for user \"" + c.user() + "\"");
                }
                return AuthResult.success(u.account(), u.username(), u.permissions().normalized());
            }
        }
        if (token != null) {
            if (passwords.matches(token, c.authToken())) {
                return AuthResult.success(null, null, tokenPermissions.normalized());
            }
            return AuthResult.failure("bad or missing token");
        }
        return AuthResult.failure("no credentials");
    }
}
