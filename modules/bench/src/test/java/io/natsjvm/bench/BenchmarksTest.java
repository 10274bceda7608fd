package io.natsjvm.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Not a measurement: every benchmark runs its set-up and a few calls (so a change to the server
 * that breaks one fails the build, not the next person's benchmark run), and the checked-in
 * results list every benchmark (so a new one comes with its numbers).
 */
class BenchmarksTest {
    private static final Blackhole HOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void parserParsesEveryFrameOfTheBatch() throws Exception {
        for (String frame : List.of("PUB", "HPUB", "RMSG")) {
            ParserBenchmark b = new ParserBenchmark();
            b.frame = frame;
            b.size = 128;
            b.setUp();
            for (int i = 1; i <= 3; i++) {
                assertEquals(i * (long) ParserBenchmark.FRAMES, b.parseBatch(HOLE), frame);
            }
            b.tearDown();
        }
    }

    @Test
    void encoderWritesWholeFrames() {
        EncoderBenchmark b = new EncoderBenchmark();
        b.size = 16;
        b.setUp();
        assertEquals("MSG orders.eu.created 17 16\r\n".length() + 16 + 2, b.msg());
        assertTrue(b.msgWithReply() > b.msg());
        assertEquals("RMSG $G orders.eu.created | workers 16\r\n".length() + 16 + 2, b.routedWithQueue());
        b.tearDown();
    }

    @Test
    void subjectIndexMatches() {
        SubjectIndexBenchmark b = new SubjectIndexBenchmark();
        b.setUp();
        assertEquals(2, b.matchCached().fanout()); // the literal and orders.>
        assertTrue(b.matchUncached().fanout() >= 1); // orders.> at least
        assertTrue(b.subscribeUnsubscribe());
    }

    @Test
    void checkedInResultsNameEveryBenchmark() throws IOException {
        String results = Files.readString(Path.of("bench_results.txt"));
        List<String> missing = new ArrayList<>();
        for (Class<?> c : List.of(ParserBenchmark.class, EncoderBenchmark.class, SubjectIndexBenchmark.class)) {
            for (Method m : c.getDeclaredMethods()) {
                String name = c.getSimpleName() + "." + m.getName();
                if (m.isAnnotationPresent(Benchmark.class) && !results.contains(name)) {
                    missing.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "bench_results.txt lacks " + missing + ": run scripts/jmh");
    }
}
