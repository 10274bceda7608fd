package io.natsjvm.resolver;

import io.natsjvm.resolver.nkey.NKeys;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The full resolver across a cluster, as nats-server 2.9.10 runs it: an account missing here is
 * looked up from the other servers ({@code $SYS.REQ.ACCOUNT.<id>.CLAIMS.LOOKUP}, first answer,
 * within the fetch timeout); every {@code interval} this server sends the hash of its store on
 * {@code $SYS.REQ.CLAIMS.PACK}, and one peer whose store differs (a queue group of responders)
 * answers with all its JWTs as {@code pubkey|jwt} messages and an empty message at the end.
 *
 * <p>Unlike the reference, which merges whatever a peer sends, a JWT arriving by PACK or LOOKUP
 * goes through the same checks as a pushed CLAIMS.UPDATE (signed by a trusted operator, for its
 * account, not older than the one in force) and the same live swap.
 */
public final class ClusterSync {
    private static final byte[] END = new byte[0];

    private final DirResolver resolver;
    private final ClaimsUpdateHandler updates;
    private final SystemBus bus;
    private final Duration interval;
    private final Duration fetchTimeout;
    /** Where refusals are reported (the server's log). */
    private final Consumer<String> warn;
    private String packInbox;

    public ClusterSync(DirResolver resolver, ClaimsUpdateHandler updates, SystemBus bus, Duration interval,
            Duration fetchTimeout, Consumer<String> warn) {
        this.warn = warn;
        this.resolver = resolver;
        this.updates = updates;
        this.bus = bus;
        this.interval = interval;
        this.fetchTimeout = fetchTimeout;
    }

    /** @param sync false for a cache resolver: it looks accounts up but does not exchange packs */
    public void start(boolean sync) {
        if (!sync) {
            return;
        }
        bus.subscribe("$SYS.REQ.CLAIMS.PACK", "responder", this::packRequest);
        packInbox = bus.newInbox();
        bus.subscribe(packInbox, this::packResponse);
        bus.every(interval, () -> bus.publishRaw("$SYS.REQ.CLAIMS.PACK", packInbox, resolver.store().hash()));
    }

    /** A peer's store hash: when it differs from ours, all our JWTs, then the empty end message. */
    private void packRequest(SystemBus.Message m) {
        if (m.reply() == null) {
            return;
        }
        if (!Arrays.equals(m.payload(), resolver.store().hash())) {
            for (String key : resolver.list()) {
                String jwt = resolver.fetch(key);
                if (jwt != null) {
                    bus.respondRaw(m.reply(), (key + "|" + jwt).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        bus.respondRaw(m.reply(), END);
    }

    /** Part of a peer's pack: each {@code pubkey|jwt} line is merged if it passes the update checks. */
    private void packResponse(SystemBus.Message m) {
        if (m.payload().length == 0) {
            return; // end of that peer's pack
        }
        for (String line : new String(m.payload(), StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int bar = line.indexOf('|');
            String key = bar < 0 ? "" : line.substring(0, bar);
            if (bar < 0 || line.indexOf('|', bar + 1) >= 0 || !NKeys.isValidPublic(key, NKeys.PREFIX_ACCOUNT)) {
                warn.accept("pack from a peer: line is not <account key>|<jwt>; ignored");
                continue;
            }
            ClaimsUpdateHandler.Outcome o = updates.apply(key, line.substring(bar + 1).trim(), ClaimsLedger.Source.PACK);
            if (o.error() != null) {
                warn.accept("pack from a peer for " + key + " not merged: " + o.error());
            }
        }
    }

    /**
     * Asks the cluster for an account this server does not have and takes the first answer that
     * passes the update checks. Blocks up to the fetch timeout: never call on an event loop.
     *
     * @return the account's JWT, or null
     */
    public String lookup(String accountKey) {
        String inbox = bus.newInbox();
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        AutoCloseable sub = bus.subscribeReplies(inbox, m -> first.complete(m.payload()));
        try {
            bus.publishRaw("$SYS.REQ.ACCOUNT." + accountKey + ".CLAIMS.LOOKUP", inbox, END);
            byte[] jwt = first.get(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
            ClaimsUpdateHandler.Outcome o = updates.apply(accountKey, new String(jwt, StandardCharsets.UTF_8).trim(),
                    ClaimsLedger.Source.LOOKUP);
            if (o.error() != null) {
                warn.accept("lookup of " + accountKey + " from a peer refused: " + o.error());
                return null;
            }
            return resolver.fetch(accountKey);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null; // fetching jwt timed out
        } finally {
            try {
                sub.close();
            } catch (Exception ignored) {
                // closing an internal subscription does not fail
            }
        }
    }
}
