package io.natsjvm.server.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTimeTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss.SSSSSS");

    private static String reference(Instant t) {
        return REFERENCE.format(LocalDateTime.ofInstant(t, ZoneId.systemDefault()));
    }

    @Test
    void matchesTheFormatterForEveryMicrosecondWidthAndAcrossSeconds() {
        LogTime time = new LogTime();
        long base = 1_764_990_000L;
        int[] nanos = {0, 1_000, 9_000, 10_000, 99_999, 100_000, 123_456_789, 999_999_999, 5_000_000};
        for (int s = 0; s < 3; s++) {
            for (int n : nanos) {
                Instant t = Instant.ofEpochSecond(base + s, n);
                StringBuilder sb = new StringBuilder();
                time.append(sb, t);
                assertEquals(reference(t), sb.toString());
            }
        }
    }

    @Test
    void aLineFromAnEarlierSecondIsNotGivenTheCachedSecond() {
        LogTime time = new LogTime();
        Instant later = Instant.ofEpochSecond(1_764_990_100L, 5_000);
        Instant earlier = Instant.ofEpochSecond(1_764_990_099L, 7_000);
        StringBuilder a = new StringBuilder();
        time.append(a, later);
        StringBuilder b = new StringBuilder();
        time.append(b, earlier);
        assertEquals(reference(earlier), b.toString());
    }
}
