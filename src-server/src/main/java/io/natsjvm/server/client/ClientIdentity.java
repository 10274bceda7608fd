package io.natsjvm.server.client;

import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.auth.PermissionChecker;
import io.natsjvm.server.protocol.ConnectOptions;

/**
 * Who a client is after its latest CONNECT: its account, user, permissions, JWT login and
 * options. Replaced whole on the connection's loop and published through one volatile field, so
 * a publisher on another loop or monitoring always sees one consistent login, never a mix of two.
 *
 * @param account     null until the first login (no auth: the global account then)
 * @param permissions null when unrestricted
 * @param jwt         null for a config user
 */
public record ClientIdentity(Account account, String user, PermissionChecker permissions, JwtLogin jwt,
        ConnectOptions options) {

    /** Before any CONNECT: no account, the reference's default options. */
    public static final ClientIdentity NONE = new ClientIdentity(null, null, null, null, ConnectOptions.DEFAULTS);

    public ClientIdentity withOptions(ConnectOptions o) {
        return new ClientIdentity(account, user, permissions, jwt, o);
    }

    public boolean headers() {
        return Boolean.TRUE.equals(options.headers());
    }
}
