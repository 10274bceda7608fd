package io.natsjvm.server.delivery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One subject mapping's rewrite, as nats-server 2.9.10 defines it: from a source pattern to a
 * destination whose tokens are literals, {@code $n} or mustache functions of the source's
 * wildcards ({@code {{wildcard(n)}}}, {@code {{partition(k,n...)}}}, {@code {{splitFromLeft(n,p)}}},
 * {@code {{splitFromRight(n,p)}}}, {@code {{sliceFromLeft(n,s)}}}, {@code {{sliceFromRight(n,s)}}},
 * {@code {{split(n,delim)}}}); a trailing {@code >} carries the rest of the subject. Immutable;
 * any thread. Invalid mappings are refused with the reference's texts.
 */
public final class SubjectTransform {
    private enum Kind { WILDCARD, PARTITION, SPLIT_FROM_LEFT, SPLIT_FROM_RIGHT, SLICE_FROM_LEFT, SLICE_FROM_RIGHT, SPLIT }

    /** A destination token computed from source tokens (their positions in the source subject). */
    private record Function(Kind kind, int[] sourceTokens, int intArg, String stringArg) {
    }

    private static final Pattern MUSTACHE = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*\\((.*)\\)\\s*}}");
    private static final Pattern COMMA = Pattern.compile(",\\s*");
    private static final String INVALID = "invalid mapping destination";

    private final String source;
    private final String destination;
    private final String[] sourceTokens;
    private final String[] destTokens;
    /** Per destination token: null for a literal. Empty when the source has no wildcards. */
    private final Function[] functions;

    private SubjectTransform(String source, String destination, String[] sourceTokens, String[] destTokens,
            Function[] functions) {
        this.source = source;
        this.destination = destination;
        this.sourceTokens = sourceTokens;
        this.destTokens = destTokens;
        this.functions = functions;
    }

    /**
     * @throws IllegalArgumentException with the reference's reason ("invalid subject",
     *                                  "invalid mapping destination: ... in <token>")
     */
    public static SubjectTransform of(String source, String destination) {
        String[] st = source.split("\\.", -1);
        String[] dt = destination.split("\\.", -1);
        int sourceStars = count(st, "*");
        boolean sourceTail = st[st.length - 1].equals(">");
        if (!wellFormed(st) || !wellFormed(dt) || count(dt, "*") > 0
                || sourceTail != dt[dt.length - 1].equals(">")) {
            throw new IllegalArgumentException("invalid subject");
        }
        if (sourceStars == 0 && !sourceTail) {
            return new SubjectTransform(source, destination, st, dt, new Function[0]);
        }
        Map<Integer, Integer> starPosition = new HashMap<>();
        for (int i = 0; i < st.length; i++) {
            if (st[i].equals("*")) {
                starPosition.put(starPosition.size() + 1, i);
            }
        }
        Function[] fs = new Function[dt.length];
        int placeholders = 0;
        for (int i = 0; i < dt.length; i++) {
            Function f = placeholder(dt[i]);
            if (f == null) {
                continue;
            }
            placeholders++;
            int[] positions = new int[f.sourceTokens().length];
            for (int k = 0; k < positions.length; k++) {
                int wildcard = f.sourceTokens()[k];
                if (wildcard > sourceStars) {
                    throw new IllegalArgumentException(INVALID + ": wildcard index out of range in " + dt[i] + ": ["
                            + wildcard + "]");
                }
                positions[k] = starPosition.getOrDefault(wildcard, 0);
            }
            fs[i] = new Function(f.kind(), positions, f.intArg(), f.stringArg());
        }
        if (placeholders < sourceStars) {
            throw new IllegalArgumentException(INVALID + ": not using all of the token wildcard(s) in " + destination);
        }
        return new SubjectTransform(source, destination, st, dt, fs);
    }

    /** The reference's subject check here: no empty token, nothing after {@code >}. */
    private static boolean wellFormed(String[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i].isEmpty() || tokens[i].equals(">") && i < tokens.length - 1) {
                return false;
            }
        }
        return true;
    }

    private static int count(String[] tokens, String t) {
        int n = 0;
        for (String s : tokens) {
            if (s.equals(t)) {
                n++;
            }
        }
        return n;
    }

    /** A destination token's function (wildcard numbers, not yet positions), or null for a literal. */
    private static Function placeholder(String token) {
        if (token.length() > 1 && token.charAt(0) == '$') {
            try {
                return new Function(Kind.WILDCARD, new int[] {Integer.parseInt(token.substring(1))}, -1, null);
            } catch (NumberFormatException e) {
                return null; // other tokens start with $ too: a literal
            }
        }
        if (token.length() <= 4 || !token.startsWith("{{") || !token.endsWith("}}")) {
            return null;
        }
        Matcher m = MUSTACHE.matcher(token);
        if (!m.matches()) {
            throw destinationError("unknown function", token);
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String[] args = COMMA.split(m.group(2), -1);
        switch (name) {
            case "wildcard" -> {
                if (args.length == 1 && args[0].isEmpty()) {
                    throw destinationError("not enough arguments passed to the function", token);
                }
                if (args.length > 1) {
                    throw destinationError("too many arguments passed to the function", token);
                }
                return new Function(Kind.WILDCARD, new int[] {integer(args[0], token)}, -1, null);
            }
            case "partition" -> {
                if (args.length < 2) {
                    throw destinationError("not enough arguments passed to the function", token);
                }
                int[] wildcards = new int[args.length - 1];
                int partitions = integer(args[0], token);
                for (int i = 1; i < args.length; i++) {
                    wildcards[i - 1] = integer(args[i], token);
                }
                return new Function(Kind.PARTITION, wildcards, partitions, null);
            }
            case "splitfromleft" -> {
                return indexAndInt(Kind.SPLIT_FROM_LEFT, args, token);
            }
            case "splitfromright" -> {
                return indexAndInt(Kind.SPLIT_FROM_RIGHT, args, token);
            }
            case "slicefromleft" -> {
                return indexAndInt(Kind.SLICE_FROM_LEFT, args, token);
            }
            case "slicefromright" -> {
                return indexAndInt(Kind.SLICE_FROM_RIGHT, args, token);
            }
            case "split" -> {
                if (args.length < 2) {
                    throw destinationError("not enough arguments passed to the function", token);
                }
                if (args.length > 2) {
                    throw destinationError("too many arguments passed to the function", token);
                }
                int wildcard = integer(args[0], token);
                if (args[1].contains(" ") || args[1].contains(".")) {
                    throw destinationError("function argument is invalid or in the wrong format", token);
                }
                return new Function(Kind.SPLIT, new int[] {wildcard}, -1, args[1]);
            }
            default -> throw destinationError("unknown function", token);
        }
    }

    private static Function indexAndInt(Kind kind, String[] args, String token) {
        if (args.length < 2) {
            throw destinationError("not enough arguments passed to the function", token);
        }
        if (args.length > 2) {
            throw destinationError("too many arguments passed to the function", token);
        }
        return new Function(kind, new int[] {integer(args[0], token)}, integer(args[1], token), null);
    }

    private static int integer(String arg, String token) {
        try {
            return Integer.parseInt(arg.strip());
        } catch (NumberFormatException e) {
            throw destinationError("function argument is invalid or in the wrong format", token);
        }
    }

    private static IllegalArgumentException destinationError(String why, String token) {
        return new IllegalArgumentException(INVALID + ": " + why + " in " + token);
    }

    /**
     * The reference's check of a destination before it is compiled: no empty token, nothing
     * after {@code >}, known functions, no white space in literal tokens.
     */
    public static void validateDestination(String destination) {
        boolean tail = false;
        for (String t : destination.split("\\.", -1)) {
            if (t.isEmpty() || tail) {
                throw new IllegalArgumentException(INVALID + ": invalid subject in " + t);
            }
            if (t.length() > 4 && t.startsWith("{{") && t.endsWith("}}")) {
                Matcher m = MUSTACHE.matcher(t);
                if (!m.matches() || !List.of("wildcard", "partition", "splitfromleft", "splitfromright",
                        "slicefromleft", "slicefromright", "split").contains(m.group(1).toLowerCase(Locale.ROOT))) {
                    throw destinationError("unknown function", t);
                }
                continue;
            }
            if (t.equals(">")) {
                tail = true;
            } else if (t.chars().anyMatch(c -> c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ')) {
                throw new IllegalArgumentException(INVALID + ": invalid subject");
            }
        }
    }

    public String source() {
        return source;
    }

    public String destination() {
        return destination;
    }

    /** Whether the destination is computed from the subject (else it is the literal destination). */
    public boolean dependsOnSubject() {
        return functions.length > 0;
    }

    /** The destination for a literal subject this transform's source matches. */
    public String apply(String subject) {
        if (functions.length == 0) {
            return destination;
        }
        String[] tokens = subject.split("\\.", -1);
        StringBuilder b = new StringBuilder(subject.length() + destination.length());
        int last = destTokens.length - 1;
        for (int i = 0; i < destTokens.length; i++) {
            Function f = functions[i];
            if (f == null) {
                if (destTokens[i].equals(">")) {
                    break;
                }
                b.append(destTokens[i]);
            } else {
                write(b, f, tokens);
            }
            if (i < last) {
                b.append('.');
            }
        }
        if (destTokens[last].equals(">")) {
            for (int i = sourceTokens.length - 1; i < tokens.length; i++) {
                b.append(tokens[i]);
                if (i < tokens.length - 1) {
                    b.append('.');
                }
            }
        }
        return b.toString();
    }

    private static void write(StringBuilder b, Function f, String[] tokens) {
        switch (f.kind()) {
            case WILDCARD -> b.append(tokens[f.sourceTokens()[0]]);
            case PARTITION -> {
                StringBuilder key = new StringBuilder();
                for (int p : f.sourceTokens()) {
                    key.append(tokens[p]);
                }
                b.append(Integer.toUnsignedLong(fnv1a(key.toString().getBytes(StandardCharsets.UTF_8)))
                        % f.intArg());
            }
            case SPLIT_FROM_LEFT -> {
                String t = tokens[f.sourceTokens()[0]];
                int at = f.intArg();
                b.append(at > 0 && at < t.length() ? t.substring(0, at) + "." + t.substring(at) : t);
            }
            case SPLIT_FROM_RIGHT -> {
                String t = tokens[f.sourceTokens()[0]];
                int at = f.intArg();
                b.append(at > 0 && at < t.length() ? t.substring(0, t.length() - at) + "." + t.substring(t.length() - at)
                        : t);
            }
            case SLICE_FROM_LEFT -> b.append(String.join(".", sliceFromLeft(tokens[f.sourceTokens()[0]], f.intArg())));
            case SLICE_FROM_RIGHT -> b.append(String.join(".", sliceFromRight(tokens[f.sourceTokens()[0]], f.intArg())));
            case SPLIT -> {
                List<String> parts = new ArrayList<>();
                for (String p : tokens[f.sourceTokens()[0]].split(Pattern.quote(f.stringArg()), -1)) {
                    if (!p.isEmpty()) {
                        parts.add(p);
                    }
                }
                b.append(String.join(".", parts));
            }
        }
    }

    private static List<String> sliceFromLeft(String t, int size) {
        if (size <= 0 || size >= t.length()) {
            return List.of(t);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.length(); i += size) {
            out.add(t.substring(i, Math.min(t.length(), i + size)));
        }
        return out;
    }

    private static List<String> sliceFromRight(String t, int size) {
        if (size <= 0 || size >= t.length()) {
            return List.of(t);
        }
        List<String> out = new ArrayList<>();
        int remainder = t.length() % size;
        if (remainder > 0) {
            out.add(t.substring(0, remainder));
        }
        for (int i = remainder; i < t.length(); i += size) {
            out.add(t.substring(i, i + size));
        }
        return out;
    }

    /** 32-bit FNV-1a, the hash the reference partitions with. */
    private static int fnv1a(byte[] data) {
        int h = 0x811c9dc5;
        for (byte d : data) {
            h ^= d & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    @Override
    public String toString() {
        return source + " -> " + destination;
    }
}
