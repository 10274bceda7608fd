package io.natsjvm.server.events;

import io.natsjvm.server.account.Account;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.protocol.InboundMessage;
import io.natsjvm.server.delivery.Subscription;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The server's own subscriber in one account (the system account's services, or the built-in
 * service imports of an application account). A delivery copies the message and hands it to
 * the system executor, so no handler ever runs on, or blocks, a client's event loop.
 */
public final class InternalClient implements MessageTarget {
    private final Account account;
    private final Executor executor;
    private final long cid;
    /** Subscriptions only this server's clients reach: their interest is not told to routes or leafs. */
    private final boolean local;

    public InternalClient(Account account, Executor executor, long cid) {
        this(account, executor, cid, false);
    }

    private InternalClient(Account account, Executor executor, long cid, boolean local) {
        this.account = account;
        this.executor = executor;
        this.cid = cid;
        this.local = local;
    }

    /**
     * A subscriber whose interest stays on this server, for services that answer about the
     * requester's own connection (only the server it is connected to knows it).
     */
    public static InternalClient localOnly(Account account, Executor executor, long cid) {
        return new InternalClient(account, executor, cid, true);
    }

    @Override
    public boolean propagatesInterest() {
        return !local;
    }

    /** The local-only services are 2.10's; hidden from counts so they stay 2.9.10's. */
    @Override
    public boolean visible() {
        return !local;
    }

    public Account account() {
        return account;
    }

    @Override
    public long cid() {
        return cid;
    }

    public Subscription subscribe(String subject, Consumer<InternalMessage> handler) {
        return subscribe(subject, null, handler);
    }

    /** A subscription in queue group {@code queue} (null: plain). */
    public Subscription subscribe(String subject, String queue, Consumer<InternalMessage> handler) {
        Subscription sub = new Subscription(this, subject, queue, account.nextInternalSid(), handler);
        account.subscribe(sub);
        return sub;
    }

    public void unsubscribe(Subscription sub) {
        sub.close();
        account.unsubscribe(sub);
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
        if (sub.isClosed()) {
            return false;
        }
        sub.countDelivery();
        int skip = Math.max(m.headerLength, 0);
        byte[] payload = new byte[m.totalLength - skip];
        m.buf.getBytes(m.payloadIndex + skip, payload);
        InternalMessage msg = new InternalMessage(m.subject, m.reply(), payload, local ? m.publisher : null);
        Consumer<InternalMessage> handler = (Consumer<InternalMessage>) sub.handler();
        executor.execute(() -> handler.accept(msg));
        return true;
    }
}
