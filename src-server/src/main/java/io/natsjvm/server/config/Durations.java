package io.natsjvm.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go-style durations ("2s", "1m30s", "500ms", "1.5h"); plain numbers mean seconds. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(Object value, String key) throws ConfigException {
        if (value instanceof Long l) {
            return Duration.ofSeconds(l);
        }
        if (value instanceof Double d) {
            return Duration.ofNanos((long) (d * 1e9));
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = PART.matcher(t);
            int at = 0;
            double nanos = 0;
            while (at < t.length() && m.find(at) && m.start() == at) {
                double n = Double.parseDouble(m.group(1));
                nanos += n * switch (m.group(2)) {
                    case "ns" -> 1;
                    case "us", "µs" -> 1e3;
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                };
                at = m.end();
            }
            if (at == t.length() && at > 0) {
                return Duration.ofNanos((long) nanos);
            }
        }
        // Go's time.ParseDuration error, as the reference reports it
        throw new ConfigException("error parsing " + key + ": time: invalid duration \"" + value + "\"");
    }
}
