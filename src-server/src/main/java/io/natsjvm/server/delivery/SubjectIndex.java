package io.natsjvm.server.delivery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The subscriptions of one account, as a token trie with '*' and '>' branches, plus a cache of
 * match results and a count of interest per subject and queue group.
 *
 * <p>Concurrency: inserts and removes are serialised on one lock (they are rare compared with
 * matches); matches never lock. Nodes publish their subscription arrays through volatile fields,
 * so a concurrent match sees each node either before or after a change.
 *
 * <p>The match cache is maintained per entry: a change removes only the cached results its
 * subject matches, so churn on one subject (remote interest, request inboxes) leaves every other
 * entry warm. A change bumps {@link #generation()} once before it touches the trie and once after
 * it has dropped the affected entries; a match that saw the generation move while it computed
 * drops what it cached, so a result computed during a change can never outlive it.
 */
public final class SubjectIndex {
    /**
     * As the reference's sublist cache. Every cached result stays reachable until evicted, so each
     * young collection copies the ones made since the last: with 8,192 entries of one-shot reply
     * subjects, request/reply's young pauses were 2.5-3.4 ms; with 1,024, 1.3-1.5 ms.
     */
    private static final int CACHE_MAX = 1024;
    private static final Subscription[] NONE = new Subscription[0];
    private static final QueueGroup[] NO_GROUPS = new QueueGroup[0];

    private final Node root = new Node(null, null);
    private final Object writeLock = new Object();
    private final ConcurrentHashMap<String, MatchResult> cache = new ConcurrentHashMap<>();
    private volatile long generation;
    private volatile int count;
    // Statistics for SUBSZ; inserts/removes change under the write lock only.
    private volatile long inserts;
    private volatile long removes;
    private final LongAdder matches = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    /** Subscriptions per subject (plain) and per subject and queue; write lock held. */
    private final Map<String, Interest> interest = new HashMap<>();
    private final List<InterestListener> listeners = new CopyOnWriteArrayList<>();
    private final List<SubscriptionListener> subscriptionListeners = new CopyOnWriteArrayList<>();

    private static final class Interest {
        final String subject;
        final String queue;
        int count;

        Interest(String subject, String queue) {
            this.subject = subject;
            this.queue = queue;
        }
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
     * Registers a listener and returns, under the same lock, the interest it starts from: one
     * call per subject (weight 1) and per queue group (its member count) present now.
     */
    public void addInterestListener(InterestListener l) {
        synchronized (writeLock) {
            for (Interest i : interest.values()) {
                l.interestChanged(i.subject, i.queue, i.queue == null ? 1 : i.count, null);
            }
            listeners.add(l);
        }
    }

    /** Replays the interest present now (as {@link #addInterestListener} does) without registering. */
    public void replayInterest(InterestListener l) {
        synchronized (writeLock) {
            for (Interest i : interest.values()) {
                l.interestChanged(i.subject, i.queue, i.queue == null ? 1 : i.count, null);
            }
        }
    }

    /** Registers a listener after replaying every subscription there is now (+1 each), under the lock. */
    public void addSubscriptionListener(SubscriptionListener l) {
        synchronized (writeLock) {
            for (Subscription sub : all()) {
                l.subscriptionChanged(sub, 1);
            }
            subscriptionListeners.add(l);
        }
    }

    public void removeSubscriptionListener(SubscriptionListener l) {
        subscriptionListeners.remove(l);
    }

    public void removeInterestListener(InterestListener l) {
        listeners.remove(l);
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
            generation++;
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
            if (sub.target().visible()) {
                count++;
            }
            inserts++;
            invalidate(subject);
            generation++;
            countInterest(sub, 1);
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
            if (node == null) {
                return false;
            }
            generation++;
            if (!node.remove(sub)) {
                generation++;
                return false;
            }
            node.pruneUpwards();
            if (sub.target().visible()) {
                count--;
            }
            removes++;
            invalidate(subject);
            generation++;
            countInterest(sub, -1);
        }
        return true;
    }

    /** Write lock held: drops the cached results a change to {@code subject} affects. */
    private void invalidate(String subject) {
        if (cache.isEmpty()) {
            return;
        }
        if (subject.indexOf('*') < 0 && subject.indexOf('>') < 0) {
            cache.remove(subject);
            return;
        }
        // wildcard tokens only count when they are whole tokens; matches() knows the rules
        cache.keySet().removeIf(literal -> Subjects.matches(subject, literal));
    }

    /** Write lock held: counts interest and tells listeners about first/last and queue weights. */
    private void countInterest(Subscription sub, int delta) {
        for (SubscriptionListener l : subscriptionListeners) {
            l.subscriptionChanged(sub, delta);
        }
        if (!sub.target().propagatesInterest()) {
            return;
        }
        String key = sub.queue() == null ? sub.subject() : sub.subject() + ' ' + sub.queue();
        Interest i = interest.get(key);
        if (i == null) {
            if (delta < 0) {
                return;
            }
            i = new Interest(sub.subject(), sub.queue());
            interest.put(key, i);
        }
        i.count += delta;
        if (i.count <= 0) {
            interest.remove(key);
        }
        if (listeners.isEmpty()) {
            return;
        }
        if (i.queue != null) {
            int weight = Math.max(i.count, 0);
            for (InterestListener l : listeners) {
                l.interestChanged(i.subject, i.queue, weight, sub.origin());
            }
        } else if ((delta > 0 && i.count == 1) || i.count <= 0) {
            for (InterestListener l : listeners) {
                l.interestChanged(i.subject, null, i.count > 0 ? 1 : 0, sub.origin());
            }
        }
    }

    /** All subscriptions matching a literal subject. Lock-free; cached. */
    public MatchResult match(String subject) {
        matches.increment();
        MatchResult cached = cache.get(subject);
        if (cached != null) {
            cacheHits.increment();
            return cached;
        }
        long gen = generation;
        MatchResult result = compute(subject);
        if ((gen & 1) == 0) {
            if (cache.size() >= CACHE_MAX) {
                evictSome();
            }
            cache.put(subject, result);
            if (generation != gen) {
                cache.remove(subject, result); // a change overlapped: do not keep what it may have missed
            }
        }
        return result;
    }

    /** Drops about a quarter of the cache, in no particular order (as the reference prunes). */
    private void evictSome() {
        int drop = CACHE_MAX / 4;
        var it = cache.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
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
        for (MatchResult r : cache.values()) {
            int fanout = r.fanout();
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
        for (QueueGroup group : node.queues.values()) {
            out.addAll(Arrays.asList(group.snapshot()));
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

    /**
     * Gathers a match. A queue group found on one node only is used as that node's live group (no
     * copy); the same group name on several nodes is merged into a fixed snapshot.
     */
    private static final class Collector {
        /**
         * The only node with plain subscriptions so far: its array is used as the result as it is
         * (nodes replace theirs on change, never write into them), so the usual match, one
         * subscription node, allocates no list and no copy.
         */
        private Subscription[] only;
        private List<Subscription> plain;
        private Map<String, Object> queues;

        void add(Node node) {
            Subscription[] p = node.plain;
            if (p.length > 0) {
                if (only == null && plain == null) {
                    only = p;
                } else {
                    if (plain == null) {
                        plain = new ArrayList<>(Arrays.asList(only));
                        only = null;
                    }
                    plain.addAll(Arrays.asList(p));
                }
            }
            Map<String, QueueGroup> q = node.queues;
            if (!q.isEmpty()) {
                if (queues == null) {
                    queues = new LinkedHashMap<>();
                }
                for (Map.Entry<String, QueueGroup> e : q.entrySet()) {
                    queues.merge(e.getKey(), e.getValue(), Collector::mergeGroups);
                }
            }
        }

        @SuppressWarnings("unchecked")
        private static Object mergeGroups(Object had, Object more) {
            List<Subscription> list;
            if (had instanceof QueueGroup g) {
                list = new ArrayList<>(Arrays.asList(g.snapshot()));
            } else {
                list = (List<Subscription>) had;
            }
            list.addAll(Arrays.asList(((QueueGroup) more).snapshot()));
            return list;
        }

        @SuppressWarnings("unchecked")
        MatchResult build() {
            if (only == null && plain == null && queues == null) {
                return MatchResult.EMPTY;
            }
            Subscription[] p = only != null ? only : plain == null ? NONE : plain.toArray(NONE);
            QueueGroup[] q;
            if (queues == null) {
                q = NO_GROUPS;
            } else {
                q = new QueueGroup[queues.size()];
                int i = 0;
                for (Map.Entry<String, Object> e : queues.entrySet()) {
                    q[i++] = e.getValue() instanceof QueueGroup g ? g
                            : new QueueGroup(e.getKey(), ((List<Subscription>) e.getValue()).toArray(NONE));
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
        /** Replaced (copy on write) only when a group name appears or goes; groups grow in place. */
        volatile Map<String, QueueGroup> queues = Map.of();

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
                return;
            }
            QueueGroup g = queues.get(sub.queue());
            if (g == null) {
                g = new QueueGroup(sub.queue());
                g.add(sub);
                Map<String, QueueGroup> nq = new HashMap<>(queues);
                nq.put(sub.queue(), g);
                queues = nq;
            } else {
                g.add(sub);
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
            QueueGroup g = queues.get(sub.queue());
            if (g == null || !g.remove(sub)) {
                return false;
            }
            if (g.size() == 0) {
                Map<String, QueueGroup> nq = new HashMap<>(queues);
                nq.remove(sub.queue());
                queues = nq.isEmpty() ? Map.of() : nq;
            }
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
