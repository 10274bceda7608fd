package io.natsjvm.server.auth;

import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.protocol.ConnectOptions;

import java.nio.charset.StandardCharsets;

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
    private final Map<String, UserEntry> nkeys = new HashMap<>();
    private final PasswordMatcher passwords = new PasswordMatcher();

    public ConfigAuthenticator(String token, Permissions tokenPermissions, List<UserEntry> users) {
        this.token = token;
        this.tokenPermissions = tokenPermissions == null ? Permissions.NONE : tokenPermissions;
        for (UserEntry u : users) {
            if (u.username() != null) {
                this.users.put(u.username(), u);
            } else if (u.nkey() != null) {
                this.nkeys.put(u.nkey(), u);
            }
        }
    }

    @Override
    public boolean required() {
        return token != null || !users.isEmpty() || !nkeys.isEmpty();
    }

    @Override
    public boolean usesNonce() {
        return !nkeys.isEmpty();
    }

    /** An nkey user proves the key by signing the nonce from INFO. */
    private AuthResult nkeyLogin(ConnectOptions c, String nonce) {
        UserEntry u = nkeys.get(c.nkey());
        if (u == null) {
            return AuthResult.failure("unknown nkey \"" + c.nkey() + "\"");
        }
        byte[] sig = Signatures.decode(c.sig());
        if (nonce == null || sig == null
                || !NKeys.verify(c.nkey(), NKeys.PREFIX_USER, nonce.getBytes(StandardCharsets.US_ASCII), sig)) {
            return AuthResult.failure("nkey signature verification failed for \"" + c.nkey() + "\"");
        }
        return AuthResult.success(u.account(), u.nkey(), u.permissions().normalized());
    }

    @Override
    public AuthResult authenticate(ConnectOptions c, String nonce) {
        if (c.nkey() != null && !c.nkey().isEmpty() && !nkeys.isEmpty()) {
            return nkeyLogin(c, nonce);
        }
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
