package io.natsjvm.server.account;
import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.resolver.claims.AccountLimits;
import io.natsjvm.resolver.claims.WeightedMapping;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.InterestListener;
import io.natsjvm.server.delivery.MatchResult;
import io.natsjvm.server.delivery.MessageProcessor;
import io.natsjvm.server.delivery.SubjectIndex;
import io.natsjvm.server.delivery.SubjectMapper;
import io.natsjvm.server.delivery.SubjectMappings;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.protocol.InboundMessage;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A subject space of its own: subscribers in one account never see another account's messages.
 * Users outside any configured account belong to the global account {@code $G}.
 *
 * <p>Every subscription enters and leaves through {@link #subscribe}/{@link #unsubscribe} (the one
 * place where interest changes, watched by {@link InterestListener}s) and every message enters
 * through {@link #publish} (the one inbound message path).
 *
 * <p>Traffic statistics cost nothing on the message path: live connections keep their own
 * counters and an account sums them on demand, plus what its closed connections left behind.
 */
public final class Account {
    public static final String GLOBAL = "$G";

    /** What the account needs from a connection to report on it. */
    public interface Member {
        long inMsgs();

        long inBytes();

        long outMsgs();

        long outBytes();
    }

    private final String name;
    private final SubjectIndex subjects = new SubjectIndex();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger leafs = new AtomicInteger();
    /** Sids of the server's own subscriptions here (imports, system services), one sequence as the reference's. */
    private final AtomicInteger internalSids = new AtomicInteger();
    /** Connections per other server of the cluster (guarded by this). */
    private final Map<String, Integer> remote = new HashMap<>();
    private volatile int remoteTotal;
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final LongAdder closedInMsgs = new LongAdder();
    private final LongAdder closedInBytes = new LongAdder();
    private final LongAdder closedOutMsgs = new LongAdder();
    private final LongAdder closedOutBytes = new LongAdder();
    private final LongAdder slowConsumers = new LongAdder();
    private volatile Instant updated = Instant.now();
    /** The JWT claims in force (operator mode), or null for a config account. */
    private volatile AccountClaims claims;
    /** Subject mappings applied to what clients and leafs publish here, or null: none. */
    private volatile SubjectMappings mappings;
    /** The config file's {@code limits {}} (config mode), or null. */
    private volatile AccountLimits configLimits;

    public Account(String name) {
        this.name = name;
    }

    /** The next sid for a subscription the server itself makes in this account (SUBSZ shows them). */
    public String nextInternalSid() {
        return Integer.toString(internalSids.incrementAndGet());
    }

    public String name() {
        return name;
    }

    /** The subject index, for matching and monitoring; change it only through subscribe/unsubscribe. */
    public SubjectIndex subjects() {
        return subjects;
    }

    /** @return false if the subject is not a valid subscription subject */
    public boolean subscribe(Subscription sub) {
        return subjects.insert(sub);
    }

    /** @return false if it was not subscribed */
    public boolean unsubscribe(Subscription sub) {
        return subjects.remove(sub);
    }

    /** See {@link SubjectIndex#addInterestListener}: replays the current interest first. */
    public void addInterestListener(InterestListener l) {
        subjects.addInterestListener(l);
    }

    public void removeInterestListener(InterestListener l) {
        subjects.removeInterestListener(l);
    }

    /** Hands a message to this account's subscribers. @return false if nobody took it */
    public boolean publish(InboundMessage m, FlushBatch batch) {
        m.account = name;
        return MessageProcessor.process(subjects.match(m.subject), m, batch);
    }

    /** As {@link #publish}, with a match the publisher already holds (its per-connection cache). */
    public boolean publish(InboundMessage m, MatchResult matched, FlushBatch batch) {
        m.account = name;
        return MessageProcessor.process(matched, m, batch);
    }

    public int connections() {
        return connections.get();
    }

    /** This account's leaf loop detection subject ({@code $LDS.<random>}), made on first use. */
    public synchronized String leafLoopSubject() {
        if (leafLoopSubject == null) {
            byte[] b = new byte[12];
            new SecureRandom().nextBytes(b);
            StringBuilder sb = new StringBuilder("$LDS.");
            for (byte x : b) {
                sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
            }
            leafLoopSubject = sb.toString().toUpperCase();
        }
        return leafLoopSubject;
    }

    private String leafLoopSubject;

    /** Leaf nodes bound to this account here. */
    public int leafs() {
        return leafs.get();
    }

    public void leafOpened() {
        leafs.incrementAndGet();
    }

    public void leafClosed() {
        leafs.decrementAndGet();
    }

    /** Connections other servers of the cluster report for this account. */
    public int remoteConnections() {
        return remoteTotal;
    }

    /**
     * Another server's count for this account (its CONNS event or reply). Idempotent: the latest
     * report of each server replaces its earlier one.
     *
     * @return the new cluster-wide count (local plus every server's)
     */
    public synchronized int remoteConnections(String serverId, int conns) {
        Integer prev = remote.put(serverId, Math.max(0, conns));
        remoteTotal += Math.max(0, conns) - (prev == null ? 0 : prev);
        return connections.get() + remoteTotal;
    }

    /** A server left the cluster (SHUTDOWN, or silent too long): its connections no longer count. */
    public synchronized void remoteServerGone(String serverId) {
        Integer prev = remote.remove(serverId);
        if (prev != null) {
            remoteTotal -= prev;
        }
    }

    public Collection<Member> members() {
        return members;
    }

    public Instant updated() {
        return updated;
    }

    public AccountClaims claims() {
        return claims;
    }

    /**
     * Puts claims in force if they are the account's first or newer than (and not the same token
     * as) the ones it has: the newest wins, whichever thread (login, CLAIMS.UPDATE, lookup) gets
     * here first.
     *
     * @return true if {@code c} is now in force
     */
    public synchronized boolean applyClaims(AccountClaims c) {
        AccountClaims current = claims;
        if (current != null && (current.token().equals(c.token()) || c.issuedAt() < current.issuedAt())) {
            return false;
        }
        claims = c;
        mappings = mappingsOf(c);
        updated = Instant.now();
        return true;
    }

    public SubjectMappings mappings() {
        return mappings;
    }

    /**
     * The limits in force: the JWT's in operator mode, else the config file's {@code limits {}}
     * (no limit where it says nothing).
     */
    public AccountLimits limits() {
        AccountClaims c = claims;
        if (c != null) {
            return c.limits();
        }
        AccountLimits l = configLimits;
        return l != null ? l : AccountLimits.UNLIMITED;
    }

    /** The config file's limits for this account, or null (config mode; a reload replaces them). */
    public void configLimits(AccountLimits limits) {
        configLimits = limits;
    }

    /**
     * A published message as this account's mappings route it: {@code m} itself when no mapping
     * applies, a copy on the mapped subject (the caller releases its buffer), or null when the
     * mapping's weights drop it.
     *
     * @param cluster this server's cluster name (cluster-scoped destinations), or null
     */
    public InboundMessage mapped(InboundMessage m, String cluster) {
        SubjectMappings maps = mappings;
        if (maps == null) {
            return m;
        }
        String to = maps.map(m.subject, cluster);
        if (to == null) {
            return null;
        }
        if (to.equals(m.subject)) {
            return m;
        }
        InboundMessage copy = SubjectMapper.copy(m, to, m.reply());
        copy.queues = m.queues; // a leaf's LMSG names the queue groups it is for
        return copy;
    }

    /** The config file's mappings for this account (config mode; a reload replaces them). */
    public void mappings(SubjectMappings m) {
        mappings = m;
    }

    /**
     * An account JWT's mappings. As the reference, one that cannot be applied (a destination
     * that does not use the source's wildcards ...) is left out; the others apply.
     */
    private SubjectMappings mappingsOf(AccountClaims c) {
        if (c.mappings().isEmpty()) {
            return null;
        }
        SubjectMappings.Builder b = SubjectMappings.builder();
        for (Map.Entry<String, List<WeightedMapping>> e : c.mappings().entrySet()) {
            List<SubjectMappings.Destination> to = new ArrayList<>();
            for (WeightedMapping w : e.getValue()) {
                to.add(new SubjectMappings.Destination(w.subject(), w.weight(), w.cluster()));
            }
            try {
                b.add(e.getKey(), to);
            } catch (IllegalArgumentException bad) {
                ServerLog.get().warn("Account %s: mapping of \"%s\" not applied: %s", name, e.getKey(),
                        bad.getMessage());
            }
        }
        return b.build();
    }

    /** @return the new number of connections */
    public int connectionOpened(Member m) {
        members.add(m);
        return connections.incrementAndGet();
    }

    /** @return the new number of connections */
    public int connectionClosed(Member m) {
        if (members.remove(m)) {
            closedInMsgs.add(m.inMsgs());
            closedInBytes.add(m.inBytes());
            closedOutMsgs.add(m.outMsgs());
            closedOutBytes.add(m.outBytes());
        }
        return connections.decrementAndGet();
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public long slowConsumers() {
        return slowConsumers.sum();
    }

    /** Messages and bytes received from this account's clients: {msgs, bytes, sentMsgs, sentBytes}. */
    public long[] traffic() {
        long inM = closedInMsgs.sum();
        long inB = closedInBytes.sum();
        long outM = closedOutMsgs.sum();
        long outB = closedOutBytes.sum();
        for (Member m : members) {
            inM += m.inMsgs();
            inB += m.inBytes();
            outM += m.outMsgs();
            outB += m.outBytes();
        }
        return new long[] {inM, inB, outM, outB};
    }
}
