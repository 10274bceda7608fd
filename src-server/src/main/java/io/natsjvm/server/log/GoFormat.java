package io.natsjvm.server.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times and durations written the way the reference's JSON writes them, so tools that parse
 * nats-server output parse ours: RFC 3339 with trailing zeros of the fraction dropped, Go's
 * {@code Duration.String()} ("1.5ms", "183µs", "2m3s") and the monitor's uptime ("1d2h3m4s").
 */
public final class GoFormat {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private GoFormat() {
    }

    public static String time(Instant t) {
        StringBuilder b = new StringBuilder(30).append(SECONDS.format(t));
        appendFraction(b, t.getNano(), 9);
        return b.append('Z').toString();
    }

    /** Go's time.Duration String(). */
    public static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        if (nanos < 0) {
            b.append('-');
            nanos = -nanos;
        }
        if (nanos < 1_000L) {
            return b.append(nanos).append("ns").toString();
        }
        if (nanos < 1_000_000L) {
            return fraction(b, nanos, 1_000L, 3).append("µs").toString();
        }
        if (nanos < 1_000_000_000L) {
            return fraction(b, nanos, 1_000_000L, 6).append("ms").toString();
        }
        long hours = nanos / 3_600_000_000_000L;
        long rest = nanos % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        rest %= 60_000_000_000L;
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            b.append(minutes).append('m');
        }
        return fraction(b, rest, 1_000_000_000L, 9).append('s').toString();
    }

    private static StringBuilder fraction(StringBuilder b, long value, long unit, int digits) {
        b.append(value / unit);
        appendFraction(b, value % unit, digits);
        return b;
    }

    /** ".ddd" with {@code digits} places, trailing zeros dropped; nothing for 0. */
    private static void appendFraction(StringBuilder b, long frac, int digits) {
        if (frac == 0) {
            return;
        }
        while (frac % 10 == 0) {
            frac /= 10;
            digits--;
        }
        String f = Long.toString(frac);
        b.append('.');
        for (int i = f.length(); i < digits; i++) {
            b.append('0');
        }
        b.append(f);
    }

    /** Whole seconds as the reference's monitor prints uptime and idle time. */
    public static String uptime(long nanos) {
        long secs = Math.max(0, nanos / 1_000_000_000L);
        long mins = secs / 60;
        long hrs = mins / 60;
        long days = hrs / 24;
        long years = days / 365;
        if (years > 0) {
            return years + "y" + days % 365 + "d" + hrs % 24 + "h" + mins % 60 + "m" + secs % 60 + "s";
        }
        if (days > 0) {
            return days + "d" + hrs % 24 + "h" + mins % 60 + "m" + secs % 60 + "s";
        }
        if (hrs > 0) {
            return hrs + "h" + mins % 60 + "m" + secs % 60 + "s";
        }
        if (mins > 0) {
            return mins + "m" + secs % 60 + "s";
        }
        return secs + "s";
    }
}
