package io.natsjvm.server.delivery;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectIndexTest {
    private static final MessageTarget NOBODY = (s, m, b) -> true;

    private static Subscription sub(String subject) {
        return new Subscription(NOBODY, subject, null, "1");
    }

    private static Subscription qsub(String subject, String q) {
        return new Subscription(NOBODY, subject, q, "1");
    }

    @Test
    void literalAndWildcardMatches() {
        SubjectIndex idx = new SubjectIndex();
        Subscription lit = sub("a.b.c");
        Subscription star = sub("a.*.c");
        Subscription full = sub("a.>");
        Subscription top = sub(">");
        Subscription other = sub("x.y");
        for (Subscription s : List.of(lit, star, full, top, other)) {
            assertTrue(idx.insert(s));
        }
        assertEquals(List.of(lit, star, full, top), sorted(idx.match("a.b.c").plain(), lit, star, full, top));
        assertEquals(2, idx.match("a.b").plain().length); // a.> and >
        assertEquals(1, idx.match("a").plain().length);   // only '>' ("a.>" needs a token after a)
        assertEquals(0, idx.match("a..c").plain().length);
        assertEquals(5, idx.count());
    }

    @Test
    void aResultTakenFromOneNodeDoesNotChangeWithLaterSubscriptions() {
        SubjectIndex idx = new SubjectIndex();
        Subscription first = sub("r.one");
        Subscription second = sub("r.one");
        idx.insert(first);
        MatchResult before = idx.match("r.one");
        idx.insert(second);
        idx.remove(first);
        assertEquals(List.of(first), List.of(before.plain()), "an earlier result is a snapshot");
        assertEquals(List.of(second), List.of(idx.match("r.one").plain()));
        // two nodes: the result is a merged copy
        Subscription star = sub("r.*");
        idx.insert(star);
        assertEquals(List.of(star, second), sorted(idx.match("r.one").plain(), star, second));
    }

    private static List<Subscription> sorted(Subscription[] got, Subscription... order) {
        List<Subscription> out = new ArrayList<>();
        for (Subscription o : order) {
            for (Subscription g : got) {
                if (g == o) {
                    out.add(g);
                }
            }
        }
        assertEquals(got.length, out.size());
        return out;
    }

    @Test
    void invalidSubjectsAreRefused() {
        SubjectIndex idx = new SubjectIndex();
        for (String bad : List.of("", "a..b", ".a", "a.", "a.>.b", "a b")) {
            assertFalse(idx.insert(sub(bad)), bad);
        }
        assertTrue(idx.insert(sub("a*.b>")), "wildcards inside tokens are literals");
    }

    @Test
    void queueGroupsAreGroupedByName() {
        SubjectIndex idx = new SubjectIndex();
        idx.insert(qsub("q", "g1"));
        idx.insert(qsub("q", "g1"));
        idx.insert(qsub("q.*", "g2"));
        MatchResult r = idx.match("q");
        assertEquals(1, r.queueGroups().length);
        assertEquals(2, r.queueGroups()[0].size());
        assertEquals(0, idx.match("q.x").queueGroups()[0].size() - 1);
    }

    @Test
    void removeInvalidatesCacheAndPrunes() {
        SubjectIndex idx = new SubjectIndex();
        Subscription s = sub("p.q.r");
        idx.insert(s);
        assertEquals(1, idx.match("p.q.r").plain().length);
        assertTrue(idx.remove(s));
        assertFalse(idx.remove(s));
        assertEquals(0, idx.match("p.q.r").plain().length);
        assertTrue(idx.all().isEmpty());
    }

    /**
     * Many threads subscribe and unsubscribe while others match; after every change settles,
     * every cached result must equal a fresh computation.
     */
    @Test
    void cacheStaysCorrectUnderConcurrentSubUnsub() throws Exception {
        SubjectIndex idx = new SubjectIndex();
        String[] subjects = {"c.a", "c.b", "c.*", "c.>", "d.a"};
        int writers = 4;
        int readers = 4;
        CountDownLatch done = new CountDownLatch(writers + readers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int seed = w;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000; i++) {
                        Subscription s = sub(subjects[(i + seed) % subjects.length]);
                        idx.insert(s);
                        idx.match("c.a");
                        idx.remove(s);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.countDown();
                }
            }));
        }
        for (int r = 0; r < readers; r++) {
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 50_000; i++) {
                        idx.match(i % 2 == 0 ? "c.a" : "c.b");
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.countDown();
                }
            }));
        }
        threads.forEach(Thread::start);
        done.await();
        assertNull(failure.get());
        assertEquals(0, idx.count());
        assertEquals(0, idx.match("c.a").plain().length, "no stale cached subscriptions");
        Subscription keep = sub("c.*");
        idx.insert(keep);
        assertEquals(1, idx.match("c.a").plain().length);
        assertEquals(1, idx.match("c.b").plain().length);
    }

    @Test
    void subjectValidation() {
        assertTrue(Subjects.isValidPublishSubject("a.b"));
        assertFalse(Subjects.isValidPublishSubject("a.*"));
        assertFalse(Subjects.isValidPublishSubject("a..b"));
        assertTrue(Subjects.isValidSubscribeSubject("a.*.>"));
        assertTrue(Subjects.matches("a.*", "a.b"));
        assertFalse(Subjects.matches("a.*", "a.b.c"));
        assertTrue(Subjects.matches("a.>", "a.b.c"));
        assertFalse(Subjects.matches("a.>", "a"));
        assertTrue(Subjects.matches(">", "a"));
        assertFalse(Subjects.matches("a.b", "a.bc"));
        assertFalse(Subjects.matches("a.bc", "a.b"));
    }

    @Test
    void aChangeDropsOnlyTheCachedResultsItMatches() {
        SubjectIndex idx = new SubjectIndex();
        idx.insert(sub("x.a"));
        idx.insert(sub("y.b"));
        MatchResult xa = idx.match("x.a");
        MatchResult yb = idx.match("y.b");
        idx.insert(sub("x.*"));
        assertEquals(2, idx.match("x.a").plain().length, "the affected entry is recomputed");
        assertSame(yb, idx.match("y.b"), "an unrelated entry stays cached");
        idx.insert(sub("z.c"));
        assertSame(yb, idx.match("y.b"));
        assertEquals(2, idx.cacheSize());
        assertNotSame(xa, idx.match("x.a"));
    }

    @Test
    void aLargeQueueGroupIsBuiltInLinearTime() {
        SubjectIndex idx = new SubjectIndex();
        idx.insert(qsub("work", "g"));
        MatchResult live = idx.match("work");
        long t0 = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
            idx.insert(qsub("work", "g"));
        }
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200_001, idx.match("work").queueGroups()[0].size());
        assertTrue(elapsedMs < 5_000, "200k members took " + elapsedMs + " ms");
        assertEquals(1, live.queueGroups().length);
    }
}
