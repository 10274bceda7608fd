package io.natsjvm.server.monitor;

import java.time.Instant;
import java.util.Comparator;

/** Ordering of the RFC 3339 strings monitoring holds (fractions of varying length). */
final class GoTimes {
    static final Comparator<String> ORDER = Comparator.comparing(GoTimes::parse);

    private GoTimes() {
    }

    static Instant parse(String s) {
        return s == null || s.isEmpty() ? Instant.EPOCH : Instant.parse(s);
    }
}
