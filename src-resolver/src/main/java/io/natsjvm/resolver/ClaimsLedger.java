package io.natsjvm.resolver;

import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Which account JWT is in force here, where it came from and when, and how claim updates have
 * fared: the answer to "why do two servers disagree about an account". No NATS server keeps
 * this; it backs {@code $SYS.REQ.CLAIMS.STATUS}, {@code /claimsz} and the claim metrics.
 * Thread-safe; recording is cheap (a map put), so it sits on the update and login paths.
 */
public final class ClaimsLedger {
    /** Where a JWT came from. */
    public enum Source {
        /** {@code resolver_preload} in the config. */
        PRELOAD,
        /** The full/cache resolver's directory, as it was when the server started. */
        STORE,
        /** A CLAIMS.UPDATE (either subject, or the full resolver's request). */
        PUSH,
        /** Another full resolver's pack ({@code $SYS.REQ.CLAIMS.PACK}). */
        PACK,
        /** Fetched on demand: a cluster peer's CLAIMS.LOOKUP or the URL resolver. */
        LOOKUP;

        public String label() {
            return name().toLowerCase();
        }
    }

    /** What became of one update. */
    public enum Outcome {
        APPLIED, UNCHANGED, SKIPPED, REJECTED;

        public String label() {
            return name().toLowerCase();
        }
    }

    /**
     * One account's JWT in force.
     *
     * @param at when it was taken into force (for what was there at start: when the server started)
     */
    public record Entry(String account, String name, String jti, long issuedAt, String issuer, Source source,
            Instant at, String jwt) {
        /**
         * SHA-256 of the JWT text, hex: computed when asked (claims status), not for every update
         * (with a digest looked up per call, a fifth of the ledger's share of an update).
         */
        public String hash() {
            return sha256(jwt);
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder enforcedCount = new LongAdder();
    private final LongAdder enforcedNanos = new LongAdder();
    private volatile long enforcedMaxNanos;
    private LongConsumer enforcedListener;
    /**
     * Enforcement times before a listener is attached (the metrics registry is built on the first
     * scrape), handed to it then; at most {@link #EARLY_CAP} of them.
     */
    private long[] early = new long[16];
    private int earlyCount;
    static final int EARLY_CAP = 65_536;
    /** Told of every JWT put in force (the operations console's CLAIMS.UPDATE stream). */
    private final List<Consumer<Entry>> recordListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Instant started;
    /** JWTs that were in the store at start: entered lazily, so start-up decodes nothing. */
    private volatile Supplier<Collection<String>> storedKeys = List::of;
    private volatile Function<String, String> stored = k -> null;
    private volatile Function<String, Source> storedSource = k -> Source.STORE;

    public ClaimsLedger(Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
        }
    }

    /** The store's accounts at start, entered as {@link Source#STORE} when first asked about. */
    public void storedAtStart(Supplier<Collection<String>> keys, Function<String, String> jwtOf) {
        storedAtStart(keys, jwtOf, k -> Source.STORE);
    }

    /**
     * The JWTs in force at start (preloaded or stored), entered with {@code sourceOf}'s answer
     * when first asked about: start-up decodes nothing for the ledger.
     */
    public void storedAtStart(Supplier<Collection<String>> keys, Function<String, String> jwtOf,
            Function<String, Source> sourceOf) {
        this.storedKeys = keys;
        this.stored = jwtOf;
        this.storedSource = sourceOf;
    }

    /** {@code jwt} is now in force for {@code account}. */
    public void record(String account, String jwt, Source source) {
        Entry e = entry(account, jwt, source, clock.instant());
        if (e != null) {
            record(e);
        }
    }

    /** As {@link #record(String, String, Source)}, for a JWT the caller has decoded already. */
    public void record(String account, DecodedJwt jwt, Source source) {
        record(entry(account, jwt, source, clock.instant()));
    }

    private void record(Entry e) {
        entries.put(e.account(), e);
        for (Consumer<Entry> l : recordListeners) {
            l.accept(e);
        }
    }

    public void addRecordListener(Consumer<Entry> listener) {
        recordListeners.add(listener);
    }

    public void removeRecordListener(Consumer<Entry> listener) {
        recordListeners.remove(listener);
    }

    /**
     * As {@link #record}, unless this very JWT is already entered (a login that found the JWT
     * the ledger knows: nothing changed, and nothing is decoded).
     */
    public void recordIfChanged(String account, String jwt, Source source) {
        Entry e = entries.get(account);
        if (e == null || !e.jwt().equals(jwt)) {
            record(account, jwt, source);
        }
    }

    public void deleted(String account) {
        entries.remove(account);
    }

    public void outcome(Outcome o) {
        outcomes.get(o).increment();
    }

    public long count(Outcome o) {
        return outcomes.get(o).sum();
    }

    /** An applied update took {@code nanos} from arrival until its excess connections were closed. */
    public void enforced(long nanos) {
        enforcedCount.increment();
        enforcedNanos.add(nanos);
        if (nanos > enforcedMaxNanos) {
            enforcedMaxNanos = nanos;
        }
        tellOrKeep(nanos);
    }

    private synchronized void tellOrKeep(long nanos) {
        if (enforcedListener != null) {
            enforcedListener.accept(nanos);
        } else if (earlyCount < EARLY_CAP) {
            if (earlyCount == early.length) {
                early = Arrays.copyOf(early, early.length * 2);
            }
            early[earlyCount++] = nanos;
        }
    }

    /** Also told every enforcement time (the metrics histogram), first those recorded before. */
    public synchronized void onEnforced(LongConsumer listener) {
        for (int i = 0; i < earlyCount; i++) {
            listener.accept(early[i]);
        }
        early = new long[0];
        earlyCount = 0;
        this.enforcedListener = listener;
    }

    public long enforcedCount() {
        return enforcedCount.sum();
    }

    public long enforcedNanos() {
        return enforcedNanos.sum();
    }

    public long enforcedMaxNanos() {
        return enforcedMaxNanos;
    }

    /** The entry for one account, or null if no JWT for it is known here. */
    public Entry get(String account) {
        Entry e = entries.get(account);
        return e != null ? e : fromStore(account);
    }

    /** Every account with a JWT in force, sorted by account key. */
    public List<Entry> all() {
        for (String key : storedKeys.get()) {
            if (!entries.containsKey(key)) {
                fromStore(key);
            }
        }
        List<Entry> list = new ArrayList<>(entries.values());
        list.sort((a, b) -> a.account().compareTo(b.account()));
        return list;
    }

    private Entry fromStore(String account) {
        String jwt = stored.apply(account);
        if (jwt == null) {
            return null;
        }
        Entry e = entry(account, jwt, storedSource.apply(account), started);
        if (e == null) {
            return null;
        }
        Entry raced = entries.putIfAbsent(account, e);
        return raced != null ? raced : e;
    }

    private static Entry entry(String account, String jwt, Source source, Instant at) {
        DecodedJwt d;
        try {
            d = Jwts.decode(jwt);
        } catch (JwtException e) {
            return null; // never in force: the paths that record validate first
        }
        return entry(account, d, source, at);
    }

    private static Entry entry(String account, DecodedJwt d, Source source, Instant at) {
        return new Entry(account, d.name(), d.id(), d.issuedAt(), d.issuer(), source, at, d.token());
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
