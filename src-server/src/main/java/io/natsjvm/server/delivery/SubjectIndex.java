package io.natsjvm.server.delivery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriptions of one account, as a token trie with '*' and '>' branches, plus a cache of
 * match results.
 *
 * <p>Concurrency: inserts and removes are serialised on one lock (they are rare compared with
 * matches); matches never lock. Nodes publish their subscription arrays through volatile
 * copy-on-write fields, so a concurrent match sees each node either before or after a change.
 * Every change bumps {@link #generation()} <em>after</em> the trie is updated; a cached result
 * records the generation read <em>before</em> it was computed and is only used while the
 * generation is unchanged, so a result computed during a change can never outlive it.
 */
public final class SubjectIndex {
    private static final int CACHE_MAX = 8192;
    private static final Subscription[] NONE = new Subscription[0];

    private final Node root = new Node(null, null);
    private final Object writeLock = new Object();
    private final ConcurrentHashMap<String, CachedMatch> cache = new ConcurrentHashMap<>();
    private volatile long generation;
    private volatile int count;
    // Statistics for SUBSZ; inserts/removes change under the write lock only.
    private volatile long inserts;
    private volatile long removes;
    private final LongAdder matches = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();

    private record CachedMatch(long generation, MatchResult result) {
    }

    /** Current generation: changes whenever a subscription is added or removed. */
    public long generation() {
        return generation;
    }

    /** Number of subscriptions in the index. */
    public int count() {
        return count;
    }

    /** Number of cached match results (for monitoring). */
    public int cacheSize() {
        return cache.size();
    }

    /**
     * Adds a subscription.
     *
     * @return false if its subject is not a valid subscription subject
     */
    public boolean insert(Subscription sub) {
        String subject = sub.subject();
        if (!Subjects.isValidSubscribeSubject(subject)) {
            return false;
        }
        synchronized (writeLock) {
            Node node = root;
            int start = 0;
            int len = subject.length();
            while (start <= len) {
                int end = subject.indexOf('.', start);
                if (end < 0) {
                    end = len;
                }
                node = node.childForInsert(subject.substring(start, end));
                start = end + 1;
            }
            node.add(sub);
            count++;
            inserts++;
            generation++;
        }
        return true;
    }

    /** Removes a subscription; returns false if it was not present. */
    public boolean remove(Subscription sub) {
        String subject = sub.subject();
        synchronized (writeLock) {
            Node node = root;
            int start = 0;
            int len = subject.length();
            while (start <= len && node != null) {
                int end = subject.indexOf('.', start);
                if (end < 0) {
                    end = len;
                }
                node = node.child(subject.substring(start, end));
                start = end + 1;
            }
            if (node == null || !node.remove(sub)) {
                return false;
            }
            node.pruneUpwards();
            count--;
            removes++;
            generation++;
        }
        return true;
    }

    /** All subscriptions matching a literal subject. Lock-free; cached. */
    public MatchResult match(String subject) {
        long gen = generation;
        matches.increment();
        CachedMatch cached = cache.get(subject);
        if (cached != null && cached.generation == gen) {
            cacheHits.increment();
            return cached.result;
        }
        MatchResult result = compute(subject);
        if (cache.size() >= CACHE_MAX) {
            cache.clear();
        }
        cache.put(subject, new CachedMatch(gen, result));
        return result;
    }

    private MatchResult compute(String subject) {
        String[] tokens = tokenize(subject);
        if (tokens == null) {
            return MatchResult.EMPTY;
        }
        Collector c = new Collector();
        matchLevel(root, tokens, 0, c);
        return c.build();
    }

    private static String[] tokenize(String subject) {
        int len = subject.length();
        if (len == 0) {
            return null;
        }
        int n = 1;
        for (int i = 0; i < len; i++) {
            if (subject.charAt(i) == '.') {
                n++;
            }
        }
        String[] tokens = new String[n];
        int start = 0;
        for (int t = 0; t < n; t++) {
            int end = subject.indexOf('.', start);
            if (end < 0) {
                end = len;
            }
            if (end == start) {
                return null; // empty token: matches nothing
            }
            tokens[t] = subject.substring(start, end);
            start = end + 1;
        }
        return tokens;
    }

    private static void matchLevel(Node node, String[] tokens, int i, Collector c) {
        if (i == tokens.length) {
            c.add(node);
            return;
        }
        Node full = node.full;
        if (full != null) {
            c.add(full);
        }
        Node star = node.star;
        if (star != null) {
            matchLevel(star, tokens, i + 1, c);
        }
        Node lit = node.literals.get(tokens[i]);
        if (lit != null) {
            matchLevel(lit, tokens, i + 1, c);
        }
    }

    /**
     * Counters in the shape of the reference's sublist statistics: fan-out figures are taken
     * over the cached results, as the reference does.
     */
    public IndexStats stats() {
        int cached = 0;
        long totalFanout = 0;
        int maxFanout = 0;
        for (CachedMatch m : cache.values()) {
            MatchResult r = m.result;
            int fanout = r.plain().length;
            for (Subscription[] g : r.queueGroups()) {
                fanout += g.length;
            }
            cached++;
            totalFanout += fanout;
            maxFanout = Math.max(maxFanout, fanout);
        }
        long m = matches.sum();
        double hitRate = m == 0 ? 0 : (double) cacheHits.sum() / m;
        double avg = cached == 0 ? 0 : (double) totalFanout / cached;
        return new IndexStats(count, cached, inserts, removes, m, hitRate, maxFanout, avg);
    }

    /** Every subscription, for monitoring (not a hot path). */
    public List<Subscription> all() {
        List<Subscription> out = new ArrayList<>();
        collectAll(root, out);
        return out;
    }

    private static void collectAll(Node node, List<Subscription> out) {
        out.addAll(Arrays.asList(node.plain));
        for (Subscription[] group : node.queues.values()) {
            out.addAll(Arrays.asList(group));
        }
        for (Node child : node.literals.values()) {
            collectAll(child, out);
        }
        if (node.star != null) {
            collectAll(node.star, out);
        }
        if (node.full != null) {
            collectAll(node.full, out);
        }
    }

    private static final class Collector {
        private List<Subscription> plain;
        private Map<String, List<Subscription>> queues;

        void add(Node node) {
            Subscription[] p = node.plain;
            if (p.length > 0) {
                if (plain == null) {
                    plain = new ArrayList<>(p.length);
                }
                plain.addAll(Arrays.asList(p));
            }
            Map<String, Subscription[]> q = node.queues;
            if (!q.isEmpty()) {
                if (queues == null) {
                    queues = new LinkedHashMap<>();
                }
                for (Map.Entry<String, Subscription[]> e : q.entrySet()) {
                    queues.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).addAll(Arrays.asList(e.getValue()));
                }
            }
        }

        MatchResult build() {
            if (plain == null && queues == null) {
                return MatchResult.EMPTY;
            }
            Subscription[] p = plain == null ? NONE : plain.toArray(NONE);
            Subscription[][] q;
            if (queues == null) {
                q = new Subscription[0][];
            } else {
                q = new Subscription[queues.size()][];
                int i = 0;
                for (List<Subscription> group : queues.values()) {
                    q[i++] = group.toArray(NONE);
                }
            }
            return new MatchResult(p, q);
        }
    }

    /** One token level. Fields written only under the index's write lock. */
    private static final class Node {
        final Node parent;
        final String token;
        final ConcurrentHashMap<String, Node> literals = new ConcurrentHashMap<>(2);
        volatile Node star;
        volatile Node full;
        volatile Subscription[] plain = NONE;
        volatile Map<String, Subscription[]> queues = Map.of();

        Node(Node parent, String token) {
            this.parent = parent;
            this.token = token;
        }

        Node child(String token) {
            if (token.length() == 1) {
                char ch = token.charAt(0);
                if (ch == '*') {
                    return star;
                }
                if (ch == '>') {
                    return full;
                }
            }
            return literals.get(token);
        }

        Node childForInsert(String token) {
            Node existing = child(token);
            if (existing != null) {
                return existing;
            }
            Node created = new Node(this, token);
            if (token.equals("*")) {
                star = created;
            } else if (token.equals(">")) {
                full = created;
            } else {
                literals.put(token, created);
            }
            return created;
        }

        void add(Subscription sub) {
            if (sub.queue() == null) {
                Subscription[] p = plain;
                Subscription[] np = Arrays.copyOf(p, p.length + 1);
                np[p.length] = sub;
                plain = np;
            } else {
                Map<String, Subscription[]> nq = new HashMap<>(queues);
                Subscription[] g = nq.getOrDefault(sub.queue(), NONE);
                Subscription[] ng = Arrays.copyOf(g, g.length + 1);
                ng[g.length] = sub;
                nq.put(sub.queue(), ng);
                queues = nq;
            }
        }

        boolean remove(Subscription sub) {
            if (sub.queue() == null) {
                Subscription[] p = plain;
                int idx = indexOf(p, sub);
                if (idx < 0) {
                    return false;
                }
                plain = without(p, idx);
                return true;
            }
            Subscription[] g = queues.get(sub.queue());
            int idx = g == null ? -1 : indexOf(g, sub);
            if (idx < 0) {
                return false;
            }
            Map<String, Subscription[]> nq = new HashMap<>(queues);
            if (g.length == 1) {
                nq.remove(sub.queue());
            } else {
                nq.put(sub.queue(), without(g, idx));
            }
            queues = nq.isEmpty() ? Map.of() : nq;
            return true;
        }

        boolean isEmpty() {
            return plain.length == 0 && queues.isEmpty() && literals.isEmpty() && star == null && full == null;
        }

        /** Unlinks this node and empty ancestors so churn on unique subjects does not leak. */
        void pruneUpwards() {
            Node n = this;
            while (n.parent != null && n.isEmpty()) {
                Node p = n.parent;
                if (p.star == n) {
                    p.star = null;
                } else if (p.full == n) {
                    p.full = null;
                } else {
                    p.literals.remove(n.token, n);
                }
                n = p;
            }
        }

        private static int indexOf(Subscription[] arr, Subscription sub) {
            for (int i = 0; i < arr.length; i++) {
                if (arr[i] == sub) {
                    return i;
                }
            }
            return -1;
        }

        private static Subscription[] without(Subscription[] arr, int idx) {
            if (arr.length == 1) {
                return NONE;
            }
            Subscription[] out = new Subscription[arr.length - 1];
            System.arraycopy(arr, 0, out, 0, idx);
            System.arraycopy(arr, idx + 1, out, idx, arr.length - idx - 1);
            return out;
        }
    }
}
