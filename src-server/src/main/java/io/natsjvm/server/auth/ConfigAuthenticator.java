package io.natsjvm.server.auth;

import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.protocol.ConnectOptions;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
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
    /** {@code verify_and_map}: a client certificate names the user. */
    private final boolean tlsMap;
    private final String noAuthUser;

    public ConfigAuthenticator(String token, Permissions tokenPermissions, List<UserEntry> users) {
        this(token, tokenPermissions, users, false);
    }

    public ConfigAuthenticator(String token, Permissions tokenPermissions, List<UserEntry> users, boolean tlsMap) {
        this(token, tokenPermissions, users, tlsMap, null);
    }

    /**
     * @param noAuthUser {@code no_auth_user}: a CONNECT without user, password or token logs in as
     *                   this user (one of {@code users}), as the reference does
     */
    public ConfigAuthenticator(String token, Permissions tokenPermissions, List<UserEntry> users, boolean tlsMap,
            String noAuthUser) {
        this.noAuthUser = noAuthUser;
        this.tlsMap = tlsMap;
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

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
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
        return AuthResult.success(u, u.nkey());
    }

    /**
     * With {@code verify_and_map}, as the reference: when there are users, the certificate names
     * the user (a user name in CONNECT is ignored) and that user's password, if it has one, must
     * still match; no certificate or no match is refused.
     */
    @Override
    public AuthResult authenticate(ConnectOptions c, String nonce, X509Certificate certificate) {
        if (!tlsMap || users.isEmpty() || (c.nkey() != null && !c.nkey().isEmpty() && !nkeys.isEmpty())) {
            return authenticate(c, nonce);
        }
        if (certificate == null) {
            return AuthResult.failure("user required in certificate, none presented");
        }
        String name = CertificateMapping.userFor(certificate, users.keySet());
        if (name == null) {
            return AuthResult.failure("no user maps to certificate subject \""
                    + CertificateNames.rdnSequence(CertificateNames.subject(certificate)) + "\"");
        }
        UserEntry u = users.get(name);
        String stored = u.password() == null ? "" : u.password();
        String given = c.pass() == null ? "" : c.pass();
        if (stored.isEmpty() ? !given.isEmpty() : !passwords.matches(stored, given)) {
            return AuthResult.failure("bad password for certificate user \"" + name + "\"");
        }
        return AuthResult.success(u, u.username());
    }

    @Override
    public AuthResult authenticate(ConnectOptions c, String nonce) {
        if (c.nkey() != null && !c.nkey().isEmpty() && !nkeys.isEmpty()) {
            return nkeyLogin(c, nonce);
        }
        if (noAuthUser != null && users.containsKey(noAuthUser) && isEmpty(c.user()) && isEmpty(c.pass())
                && isEmpty(c.authToken())) {
            UserEntry u = users.get(noAuthUser);
            return AuthResult.success(u, u.username());
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
                return AuthResult.success(u, u.username());
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
