package io.natsjvm.server.account;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** All accounts by name, with the global account always present. */
public final class AccountRegistry {
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Account global;

    public AccountRegistry() {
        global = new Account(Account.GLOBAL);
        accounts.put(Account.GLOBAL, global);
    }

    public Account global() {
        return global;
    }

    /** The named account, created on first use; null or "$G" is the global account. */
    public Account getOrCreate(String name) {
        if (name == null) {
            return global;
        }
        return accounts.computeIfAbsent(name, Account::new);
    }

    public Account get(String name) {
        return accounts.get(name);
    }

    public Collection<Account> all() {
        return accounts.values();
    }
}
