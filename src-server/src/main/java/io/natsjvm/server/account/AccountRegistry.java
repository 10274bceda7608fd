package io.natsjvm.server.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** All accounts by name, with the global account always present; listed in creation order. */
public final class AccountRegistry {
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final List<Account> ordered = new CopyOnWriteArrayList<>();
    private final Account global;
    private final List<Consumer<Account>> creationListeners = new CopyOnWriteArrayList<>();

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
                for (Consumer<Account> l : creationListeners) {
                    l.accept(a);
                }
                ordered.add(a);
                return a;
            });
        }
    }

    /**
     * Calls {@code l} for every account there is and every one created from now on (before the new
     * account can be found, so nothing subscribes to it unseen): how route interest is attached.
     */
    public void forEachAccount(Consumer<Account> l) {
        synchronized (ordered) {
            creationListeners.add(l);
            for (Account a : ordered) {
                l.accept(a);
            }
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
