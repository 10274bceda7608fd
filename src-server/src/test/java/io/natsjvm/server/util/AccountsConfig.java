package io.natsjvm.server.util;

import io.nats.client.Connection;

/** The accounts config (USERS with user a, SYS with admin) used by the system account tests. */
public final class AccountsConfig {
    public static final String CONFIG = """
            accounts: {
            USERS: {
            users: [
            {user: a, password: a}
            ]
            },
            SYS: {
            users: [
            {user: admin, password: changeit}
            ]
            },
            }
            system_account: SYS
            """;

    private AccountsConfig() {
    }

    public static Connection connect(TestServer s, String user, String pass, String name) throws Exception {
        return s.connect(o -> o.userInfo(user, pass).connectionName(name));
    }
}
