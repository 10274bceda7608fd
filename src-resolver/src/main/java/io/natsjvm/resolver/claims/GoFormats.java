package io.natsjvm.resolver.claims;

import java.net.InetAddress;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * The value formats the Go jwt library validates with Go's parsers: a clock time as
 * {@code time.Parse("15:04:05")} reads it, a CIDR block as {@code net.ParseCIDR}, a time zone as
 * {@code time.LoadLocation}. Each accepts what Go accepts and nothing more.
 */
public final class GoFormats {
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private GoFormats() {
    }

    /**
     * "15:04:05": an hour of one or two digits (0-23), two-digit minutes and seconds, optionally a
     * fraction after the seconds ('.' or ',' and digits).
     *
     * @return the time, or null if Go would refuse it
     */
    public static LocalTime clock(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        int n = s.length();
        int hourDigits = 0;
        while (i < n && hourDigits < 2 && isDigit(s.charAt(i))) {
            i++;
            hourDigits++;
        }
        if (hourDigits == 0 || i + 6 > n || s.charAt(i) != ':' || s.charAt(i + 3) != ':'
                || !isDigit(s.charAt(i + 1)) || !isDigit(s.charAt(i + 2))
                || !isDigit(s.charAt(i + 4)) || !isDigit(s.charAt(i + 5))) {
            return null;
        }
        int hour = Integer.parseInt(s.substring(0, hourDigits));
        int minute = Integer.parseInt(s.substring(i + 1, i + 3));
        int second = Integer.parseInt(s.substring(i + 4, i + 6));
        int end = i + 6;
        int nanos = 0;
        if (end < n) {
            char sep = s.charAt(end);
            if ((sep != '.' && sep != ',') || end + 1 >= n) {
                return null;
            }
            String frac = s.substring(end + 1);
            if (!frac.chars().allMatch(GoFormats::isDigit)) {
                return null;
            }
            nanos = Integer.parseInt((frac + "000000000").substring(0, 9));
        }
        if (hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    /** A zone name as Go loads it: "", "UTC", "Local" or an IANA name. */
    public static boolean zone(String name) {
        return name.isEmpty() || name.equals("UTC") || name.equals("Local") || ZONES.contains(name);
    }

    /** The zone for a valid name ("" and "UTC" are UTC, "Local" the machine's). */
    public static ZoneId zoneOf(String name) {
        if (name == null || name.isEmpty() || name.equals("UTC")) {
            return ZoneId.of("UTC");
        }
        return name.equals("Local") ? ZoneId.systemDefault() : ZoneId.of(name);
    }

    /** "address/prefix" with an IPv4 dotted quad (no leading zeros) or an IPv6 literal. */
    public static boolean cidr(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String ip = s.substring(0, slash);
        String prefix = s.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(GoFormats::isDigit)) {
            return false;
        }
        int bits = Integer.parseInt(prefix);
        if (ip.contains(":")) {
            return ipv6(ip) && bits <= 128;
        }
        return ipv4(ip) && bits <= 32;
    }

    private static boolean ipv4(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(GoFormats::isDigit)
                    || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean ipv6(String ip) {
        if (ip.indexOf('%') >= 0 || ip.startsWith("[") || !ip.chars().allMatch(c -> isHex(c) || c == ':' || c == '.')) {
            return false;
        }
        try {
            // a literal with ':' is parsed, never looked up
            InetAddress.getByName(ip);
            int dot = ip.lastIndexOf(':');
            return !ip.substring(dot + 1).contains(".") || ipv4(ip.substring(dot + 1));
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
