package io.natsjvm.server.delivery;

/**
 * Subject syntax rules as nats-server 2.9.10 applies them: tokens separated by '.', none empty,
 * '*' matches one token, '>' matches the rest and must be the last token. A wildcard character
 * inside a longer token ("foo*") is a literal.
 */
public final class Subjects {
    private Subjects() {
    }

    /** Valid as a subscription subject (wildcards allowed). */
    public static boolean isValidSubscribeSubject(String subject) {
        int len = subject.length();
        if (len == 0) {
            return false;
        }
        int tokenStart = 0;
        boolean sawFullWildcard = false;
        for (int i = 0; i <= len; i++) {
            if (i == len || subject.charAt(i) == '.') {
                int tokenLen = i - tokenStart;
                if (tokenLen == 0 || sawFullWildcard) {
                    return false;
                }
                if (tokenLen == 1 && subject.charAt(tokenStart) == '>') {
                    sawFullWildcard = true;
                }
                tokenStart = i + 1;
            } else if (isWhitespace(subject.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Valid as a publish subject: a valid subject without wildcard tokens. */
    public static boolean isValidPublishSubject(String subject) {
        if (!isValidSubscribeSubject(subject)) {
            return false;
        }
        return !hasWildcardToken(subject);
    }

    /**
     * The pedantic PUB check, as the reference makes it: no empty token and no wildcard token;
     * unlike a subscription subject, whitespace inside a token is allowed.
     */
    public static boolean isValidLiteralSubject(String subject) {
        int len = subject.length();
        int tokenStart = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || subject.charAt(i) == '.') {
                if (i == tokenStart) {
                    return false;
                }
                tokenStart = i + 1;
            }
        }
        return !hasWildcardToken(subject);
    }

    /** True if any token is exactly '*' or '>'. */
    public static boolean hasWildcardToken(String subject) {
        int len = subject.length();
        for (int i = 0; i < len; i++) {
            char c = subject.charAt(i);
            if ((c == '*' || c == '>')
                    && (i == 0 || subject.charAt(i - 1) == '.')
                    && (i == len - 1 || subject.charAt(i + 1) == '.')) {
                return true;
            }
        }
        return false;
    }

    /** Does the (literal) subject match the (possibly wildcard) filter? */
    public static boolean matches(String filter, String subject) {
        int fi = 0;
        int si = 0;
        int flen = filter.length();
        int slen = subject.length();
        while (fi < flen) {
            int fEnd = filter.indexOf('.', fi);
            if (fEnd < 0) {
                fEnd = flen;
            }
            if (si > slen) {
                return false;
            }
            int sEnd = subject.indexOf('.', si);
            if (sEnd < 0) {
                sEnd = slen;
            }
            int fLen = fEnd - fi;
            if (fLen == 1 && filter.charAt(fi) == '>') {
                return si < slen;
            }
            if (si >= slen) {
                return false;
            }
            boolean star = fLen == 1 && filter.charAt(fi) == '*';
            if (!star && !filter.regionMatches(fi, subject, si, Math.max(fLen, sEnd - si))) {
                return false;
            }
            if (!star && fLen != sEnd - si) {
                return false;
            }
            fi = fEnd + 1;
            si = sEnd + 1;
        }
        return si > slen;
    }

    /**
     * True if every subject matched by {@code inner} is also matched by {@code outer}
     * (used for permission checks on wildcard subscriptions).
     */
    public static boolean isSubsetMatch(String inner, String outer) {
        String[] in = inner.split("\\.", -1);
        String[] out = outer.split("\\.", -1);
        int i = 0;
        for (; i < out.length; i++) {
            String o = out[i];
            if (o.equals(">")) {
                return i < in.length;
            }
            if (i >= in.length) {
                return false;
            }
            String t = in[i];
            if (o.equals("*")) {
                if (t.equals(">")) {
                    return false;
                }
                continue;
            }
            if (!o.equals(t)) {
                return false;
            }
        }
        return i == in.length;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
