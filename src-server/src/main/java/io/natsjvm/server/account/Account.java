package io.natsjvm.server.account;

import io.natsjvm.server.routing.SubjectIndex;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A subject space of its own: subscribers in one account never see another account's messages.
 * Users outside any configured account belong to the global account {@code $G}.
 */
public final class Account {
    public static final String GLOBAL = "$G";

    private final String name;
    private final SubjectIndex subjects = new SubjectIndex();
    private final AtomicInteger connections = new AtomicInteger();

    public Account(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public SubjectIndex subjects() {
        return subjects;
    }

    public int connections() {
        return connections.get();
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }
}
