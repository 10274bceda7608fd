package io.natsjvm.bench;

import io.natsjvm.server.delivery.MatchResult;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.delivery.SubjectIndex;
import io.natsjvm.server.delivery.Subscription;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import java.util.concurrent.TimeUnit;

/**
 * The subject index with 10,000 subscriptions (literal, {@code *} and {@code >}, some in queue
 * groups): a publish to a subject whose result is cached (the steady state), one that is not
 * (a new subject every time: inboxes, fan-in), and a subscribe/unsubscribe pair (interest churn,
 * which also drops the affected cache entries).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SubjectIndexBenchmark {
    static final int SUBSCRIPTIONS = 10_000;
    private static final MessageTarget NOWHERE = (sub, msg, batch) -> true;

    private SubjectIndex index;
    private String[] uncached;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        index = new SubjectIndex();
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            String subject = switch (i % 4) {
                case 0 -> "orders.region" + (i % 100) + ".created." + i;
                case 1 -> "orders.region" + (i % 100) + ".*." + i;
                case 2 -> "telemetry.device" + i + ".>";
                default -> "orders.region" + (i % 100) + ".updated." + i;
            };
            index.insert(new Subscription(NOWHERE, subject, i % 10 == 0 ? "workers" : null, Integer.toString(i)));
        }
        index.insert(new Subscription(NOWHERE, "orders.>", null, "all"));
        index.insert(new Subscription(NOWHERE, "orders.region7.created.*", "q", "q7"));
        // more distinct subjects than the match cache keeps, so each lookup computes its result
        uncached = new String[50_000];
        for (int i = 0; i < uncached.length; i++) {
            uncached[i] = "orders.region" + (i % 100) + ".created.x" + i;
        }
        if (index.match("orders.region8.created.8").isEmpty()) {
            throw new IllegalStateException("the index matched nothing");
        }
    }

    @Benchmark
    public MatchResult matchCached() {
        return index.match("orders.region8.created.8");
    }

    @Benchmark
    public MatchResult matchUncached() {
        String s = uncached[next];
        next = next + 1 == uncached.length ? 0 : next + 1;
        return index.match(s);
    }

    @Benchmark
    public boolean subscribeUnsubscribe() {
        Subscription s = new Subscription(NOWHERE, "orders.region7.created.churn", null, "c");
        index.insert(s);
        return index.remove(s);
    }
}
