package io.natsjvm.server.log;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Times and durations as Go prints them (values taken from the reference captures). */
class GoFormatTest {
    @Test
    void times() {
        assertEquals("2026-11-25T03:30:06.853625763Z", GoFormat.time(Instant.parse("2026-11-25T03:30:06.853625763Z")));
        assertEquals("2026-11-25T03:30:06.85742458Z", GoFormat.time(Instant.parse("2026-11-25T03:30:06.857424580Z")));
        assertEquals("2026-11-25T03:30:06.0001Z", GoFormat.time(Instant.parse("2026-11-25T03:30:06.000100Z")));
        assertEquals("2026-11-25T03:30:06Z", GoFormat.time(Instant.parse("2026-11-25T03:30:06Z")));
    }

    @Test
    void durations() {
        assertEquals("0s", GoFormat.duration(0));
        assertEquals("999ns", GoFormat.duration(999));
        assertEquals("183µs", GoFormat.duration(183_000));
        assertEquals("1.501135ms", GoFormat.duration(1_501_135));
        assertEquals("1.5s", GoFormat.duration(1_500_000_000L));
        assertEquals("1m30s", GoFormat.duration(90_000_000_000L));
        assertEquals("1h0m0s", GoFormat.duration(3_600_000_000_000L));
        assertEquals("2m0.05s", GoFormat.duration(120_050_000_000L));
        assertEquals("0s", GoFormat.uptime(999_999_999));
        assertEquals("1d2h3m4s", GoFormat.uptime((((24 + 2) * 60 + 3) * 60 + 4) * 1_000_000_000L));
    }
}
