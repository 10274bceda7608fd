package io.natsjvm.server.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** All accounts by name, with the global account always present; listed in creation order. */
public final class AccountRegistry {
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final List<Account> ordered = new CopyOnWriteArrayList<>();
    private final Account global;

    public AccountRegistry() {
        global = getOrCreate(Account.GLOBAL);
    }

    public Account global() {
        return global;
    }

    /** The named account, created on first use; null means the global account. */
    public Account getOrCreate(String name) {
        if (name == null) {
            return global;
        }
        Account existing = accounts.get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (ordered) {
            return accounts.computeIfAbsent(name, n -> {
                Account a = new Account(n);
                ordered.add(a);
                return a;
            });
        }
    }

    public Account get(String name) {
        return accounts.get(name);
    }

    /** Every account in the order it was created. */
    public List<Account> all() {
        return new ArrayList<>(ordered);
    }
}
