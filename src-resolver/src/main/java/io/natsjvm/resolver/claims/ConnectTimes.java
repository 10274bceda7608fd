package io.natsjvm.resolver.claims;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * A user JWT's {@code times}: daily windows ("HH:MM:SS" start and end, a window may run past
 * midnight) in {@code locale} (a time zone; the server's own when empty) during which the user
 * may connect.
 */
public record ConnectTimes(List<Window> windows, String locale) {
    public static final ConnectTimes ANY = new ConnectTimes(List.of(), null);

    public record Window(String start, String end) {
    }

    public ConnectTimes {
        windows = List.copyOf(windows);
    }

    /**
     * @return how long the user may stay connected from {@code now} (the end of the current
     *         window), {@code Duration.ZERO} if outside every window, or null when unrestricted
     */
    public Duration allowedFor(ZonedDateTime now) {
        if (windows.isEmpty()) {
            return null;
        }
        ZoneId zone = locale == null || locale.isEmpty() ? ZoneId.systemDefault() : GoFormats.zoneOf(locale);
        ZonedDateTime local = now.withZoneSameInstant(zone);
        for (Window w : windows) {
            LocalTime start = GoFormats.clock(w.start());
            LocalTime end = GoFormats.clock(w.end());
            ZonedDateTime s = local.with(start);
            ZonedDateTime e = local.with(end);
            if (start.isAfter(end)) {
                // Past midnight: either today's window (ends tomorrow) or yesterday's (ends today).
                if (!local.isBefore(s)) {
                    return Duration.between(local, e.plusDays(1));
                }
                if (local.isBefore(e)) {
                    return Duration.between(local, e);
                }
            } else if (!local.isBefore(s) && local.isBefore(e)) {
                return Duration.between(local, e);
            }
        }
        return Duration.ZERO;
    }
}
