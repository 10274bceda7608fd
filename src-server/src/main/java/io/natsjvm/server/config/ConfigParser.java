package io.natsjvm.server.config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the nats-server configuration syntax into nested maps and lists.
 *
 * <p>Supported: {@code key: value}, {@code key = value} and {@code key value}; maps in braces and
 * arrays in brackets, with commas, semicolons or new lines between entries; {@code #} and
 * {@code //} comments; double-quoted strings with escapes, single-quoted raw strings, unquoted
 * strings and {@code ( ... )} blocks; integers with size suffixes ({@code 1k}=1000,
 * {@code 1kb}=1024, {@code MB}, {@code G} ...), floats, booleans ({@code true/false/yes/no/on/off});
 * {@code $NAME} variables resolved in enclosing maps first, then in the environment; and
 * {@code include path} relative to the including file.
 *
 * <p>Values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List} or
 * {@code Map<String,Object>} (insertion ordered). Keys keep their case.
 */
public final class ConfigParser {
    private static final Pattern INTEGER = Pattern.compile("(-?\\d+)([kKmMgGtTpPeE](?:[bB]|[iI][bB]?)?)?");
    private static final Pattern FLOAT = Pattern.compile("-?\\d+\\.\\d+");
    private static final Set<String> TRUE = Set.of("true", "yes", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "off");
    private static final int MAX_INCLUDE_DEPTH = 10;

    private final String src;
    private final String file;
    private final Path baseDir;
    private final Function<String, String> env;
    private final int includeDepth;
    private final Set<String> usedVariables;
    private final Deque<Map<String, Object>> scopes = new ArrayDeque<>();
    private int pos;

    private ConfigParser(String src, String file, Path baseDir, Function<String, String> env, int includeDepth,
                         Set<String> usedVariables) {
        this.src = src;
        this.file = file;
        this.baseDir = baseDir;
        this.env = env;
        this.includeDepth = includeDepth;
        this.usedVariables = usedVariables;
    }

    /** Parses a configuration file. */
    public static Map<String, Object> parseFile(Path path) throws ConfigException {
        return parseFile(path, System::getenv, new HashSet<>());
    }

    /**
     * Parses a configuration file; names of top-level keys referenced as variables are added to
     * {@code usedVariables} so they are not reported as unknown options.
     */
    public static Map<String, Object> parseFile(Path path, Function<String, String> env, Set<String> usedVariables)
            throws ConfigException {
        return parseFile(path, env, usedVariables, 0);
    }

    private static Map<String, Object> parseFile(Path path, Function<String, String> env, Set<String> used, int depth)
            throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("error opening config file: " + path + ": " + e.getMessage());
        }
        Path dir = path.toAbsolutePath().getParent();
        return new ConfigParser(text, path.toString(), dir, env, depth, used).parseDocument();
    }

    /** Parses configuration text (includes resolve against the working directory). */
    public static Map<String, Object> parse(String text) throws ConfigException {
        return parse(text, System::getenv);
    }

    public static Map<String, Object> parse(String text, Function<String, String> env) throws ConfigException {
        return new ConfigParser(text, "<config>", Path.of("."), env, 0, new HashSet<>()).parseDocument();
    }

    private Map<String, Object> parseDocument() throws ConfigException {
        ConfigMap top = new ConfigMap();
        scopes.push(top);
        while (true) {
            skipSpaceAndComments(true);
            if (eof()) {
                break;
            }
            char c = peek();
            // The reference tolerates an outer pair of braces and separators at top level.
            if (c == '{' || c == '}' || c == ',' || c == ';') {
                pos++;
                continue;
            }
            parseEntry(top, true);
        }
        scopes.pop();
        return top;
    }

    /** One {@code key value} or {@code include file} into {@code map}. */
    private void parseEntry(Map<String, Object> map, boolean topLevel) throws ConfigException {
        // the reference's lexer places a quoted key at its first character, after the quote
        int keyPos = peek() == '"' || peek() == '\'' ? pos + 1 : pos;
        String key = parseKey();
        if (key.equals("include") && !atSeparator()) {
            skipInlineSpace();
            String target = parseIncludeTarget();
            include(map, target, keyPos);
            endOfValue(topLevel);
            return;
        }
        skipInlineSpace();
        if (!eof() && (peek() == ':' || peek() == '=')) {
            pos++;
            skipInlineSpace();
        }
        if (eof() || peek() == '\n' || peek() == '\r') {
            throw error(pos, "expected a value for key '" + key + "' but found " + (eof() ? "end of file" : "new line"));
        }
        Object value = parseValue();
        if (map instanceof ConfigMap positioned) {
            positioned.put(key, value, position(keyPos));
        } else {
            map.put(key, value);
        }
        endOfValue(topLevel);
    }

    private boolean atSeparator() {
        int p = pos;
        while (p < src.length() && (src.charAt(p) == ' ' || src.charAt(p) == '\t')) {
            p++;
        }
        return p < src.length() && (src.charAt(p) == ':' || src.charAt(p) == '=');
    }

    private void include(Map<String, Object> map, String target, int at) throws ConfigException {
        if (includeDepth >= MAX_INCLUDE_DEPTH) {
            throw error(at, "include nesting too deep at '" + target + "'");
        }
        Path path;
        try {
            path = baseDir.resolve(target);
        } catch (InvalidPathException e) {
            throw error(at, "invalid include file name '" + target + "': " + e.getReason());
        }
        Map<String, Object> included;
        try {
            included = parseFile(path, env, usedVariables, includeDepth + 1);
        } catch (ConfigException e) {
            throw error(at, "error parsing include file '" + target + "': " + e.getMessage());
        }
        if (map instanceof ConfigMap positioned && included instanceof ConfigMap from) {
            positioned.putAllFrom(from);
        } else {
            map.putAll(included);
        }
    }

    private String parseIncludeTarget() throws ConfigException {
        if (eof()) {
            throw error(pos, "expected a file name after include");
        }
        char c = peek();
        if (c == '"' || c == '\'') {
            return parseQuoted();
        }
        int start = pos;
        while (!eof() && !Character.isWhitespace(peek()) && peek() != ';' && peek() != ',' && peek() != '}') {
            pos++;
        }
        if (pos == start) {
            throw error(pos, "expected a file name after include");
        }
        return src.substring(start, pos);
    }

    private String parseKey() throws ConfigException {
        char c = peek();
        if (c == '"' || c == '\'') {
            return parseQuoted();
        }
        if (c == ':' || c == '=') {
            throw error(pos, "unexpected key separator '" + c + "'");
        }
        int start = pos;
        while (!eof()) {
            char k = peek();
            if (Character.isWhitespace(k) || k == ':' || k == '=') {
                break;
            }
            if (k == '{' || k == '}' || k == '[' || k == ']' || k == ',' || k == ';' || k == '#') {
                break;
            }
            pos++;
        }
        if (pos == start) {
            throw error(pos, "expected a key but found '" + describe(peek()) + "'");
        }
        return src.substring(start, pos);
    }

    /** After a value: spaces, then a comment, new line, ';', ',' or the end of the enclosing block. */
    private void endOfValue(boolean topLevel) throws ConfigException {
        skipInlineSpace();
        if (eof()) {
            return;
        }
        char c = peek();
        if (c == '\n' || c == '\r' || c == ';' || c == ',') {
            pos++;
            return;
        }
        if (c == '#' || (c == '/' && peekAt(1) == '/')) {
            skipComment();
            return;
        }
        if (c == '}') {
            return; // closes the enclosing map (or is tolerated at top level)
        }
        throw error(pos, (topLevel ? "expected a top-level value to end with a new line, comment or EOF"
                : "expected a map value to end with a new line, comment, ',' or '}'")
                + ", but got '" + describe(c) + "' instead");
    }

    private Object parseValue() throws ConfigException {
        char c = peek();
        switch (c) {
            case '{':
                pos++;
                return parseMap();
            case '[':
                pos++;
                return parseArray();
            case '"':
            case '\'':
                return parseQuoted();
            case '(':
                return parseBlock();
            default:
                if (c == '.') {
                    throw error(pos, "floats must start with a digit");
                }
                return parseUnquoted();
        }
    }

    private Map<String, Object> parseMap() throws ConfigException {
        int open = pos - 1;
        Map<String, Object> map = new ConfigMap();
        scopes.push(map);
        while (true) {
            skipSpaceAndComments(true);
            if (eof()) {
                throw error(open, "unterminated map: missing '}'");
            }
            char c = peek();
            if (c == '}') {
                pos++;
                break;
            }
            if (c == ',' || c == ';') {
                pos++;
                continue;
            }
            parseEntry(map, false);
        }
        scopes.pop();
        return map;
    }

    private List<Object> parseArray() throws ConfigException {
        int open = pos - 1;
        List<Object> list = new ArrayList<>();
        while (true) {
            skipSpaceAndComments(true);
            if (eof()) {
                throw error(open, "unterminated array: missing ']'");
            }
            char c = peek();
            if (c == ']') {
                pos++;
                return list;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            list.add(parseValue());
            skipInlineSpace();
            if (!eof()) {
                char e = peek();
                if (e == '#' || (e == '/' && peekAt(1) == '/')) {
                    skipComment();
                } else if (e != ',' && e != ']' && e != '\n' && e != '\r') {
                    throw error(pos, "expected an array value to end with ',' , ']' or a new line, but got '"
                            + describe(e) + "' instead");
                }
            }
        }
    }

    private String parseQuoted() throws ConfigException {
        int open = pos;
        char q = src.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (eof()) {
                throw error(open, "unterminated string");
            }
            char c = src.charAt(pos++);
            if (c == q) {
                return sb.toString();
            }
            if (q == '"' && c == '\\') {
                sb.append(parseEscape());
            } else {
                sb.append(c);
            }
        }
    }

    private String parseEscape() throws ConfigException {
        if (eof()) {
            throw error(pos, "unterminated escape sequence");
        }
        char e = src.charAt(pos++);
        switch (e) {
            case 't':
                return "\t";
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case '"':
                return "\"";
            case '\\':
                return "\\";
            case 'x':
                if (pos + 2 > src.length()) {
                    throw error(pos, "expected two hexadecimal digits after '\\x'");
                }
                try {
                    int v = Integer.parseInt(src.substring(pos, pos + 2), 16);
                    pos += 2;
                    return String.valueOf((char) v);
                } catch (NumberFormatException ex) {
                    throw error(pos, "expected two hexadecimal digits after '\\x', but got '"
                            + src.substring(pos, pos + 2) + "'");
                }
            default:
                throw error(pos - 1, "invalid escape character '" + e
                        + "'; only \\xXX, \\t, \\n, \\r, \\\" and \\\\ are allowed");
        }
    }

    /** {@code (} ... a line holding only {@code )}. */
    private String parseBlock() throws ConfigException {
        int open = pos;
        pos++;
        int start = pos;
        while (!eof()) {
            int nl = src.indexOf('\n', pos);
            if (nl < 0) {
                break;
            }
            int lineStart = nl + 1;
            int lineEnd = src.indexOf('\n', lineStart);
            String line = src.substring(lineStart, lineEnd < 0 ? src.length() : lineEnd).strip();
            if (line.equals(")")) {
                String body = src.substring(start, nl + 1);
                pos = src.indexOf(')', lineStart) + 1;
                return body;
            }
            pos = lineStart;
        }
        throw error(open, "unexpected end of file in block: a ')' on its own line is required");
    }

    private Object parseUnquoted() throws ConfigException {
        int start = pos;
        StringBuilder escaped = null;
        while (!eof()) {
            char c = peek();
            if (c == '\n' || c == '\r' || c == ';' || c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t') {
                break;
            }
            if (c == '\\') {
                if (escaped == null) {
                    escaped = new StringBuilder(src.substring(start, pos));
                }
                pos++;
                escaped.append(parseEscape());
                continue;
            }
            if (escaped != null) {
                escaped.append(c);
            }
            pos++;
        }
        if (escaped != null) {
            return escaped.toString();
        }
        String raw = src.substring(start, pos);
        if (raw.isEmpty()) {
            throw error(start, "expected a value but found '" + describe(peek()) + "'");
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(lower)) {
            return Boolean.FALSE;
        }
        if (raw.charAt(0) == '$') {
            return resolveVariable(raw.substring(1), start);
        }
        char first = raw.charAt(0);
        if (Character.isDigit(first) || (first == '-' && raw.length() > 1 && Character.isDigit(raw.charAt(1)))) {
            Matcher m = INTEGER.matcher(raw);
            if (m.matches()) {
                return integer(m.group(1), m.group(2), start);
            }
            if (FLOAT.matcher(raw).matches()) {
                return Double.parseDouble(raw);
            }
        }
        return raw;
    }

    private Long integer(String digits, String suffix, int at) throws ConfigException {
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error(at, "integer '" + digits + "' is out of range");
        }
        if (suffix == null) {
            return n;
        }
        String s = suffix.toLowerCase(Locale.ROOT);
        boolean binary = s.length() > 1;
        int power = "kmgtpe".indexOf(s.charAt(0)) + 1;
        long unit = binary ? 1024 : 1000;
        long result = n;
        try {
            for (int i = 0; i < power; i++) {
                result = Math.multiplyExact(result, unit);
            }
        } catch (ArithmeticException e) {
            // the reference wraps around silently; a clear refusal is better
            throw error(at, "integer '" + digits + suffix + "' is out of the range");
        }
        return result;
    }

    private Object resolveVariable(String name, int at) throws ConfigException {
        // nats-server lets bcrypt hashes be written unquoted ($2a$...).
        if (name.startsWith("2a$") || name.startsWith("2b$") || name.startsWith("2y$")) {
            return "$" + name;
        }
        for (Map<String, Object> scope : scopes) {
            if (scope.containsKey(name)) {
                usedVariables.add(name);
                return scope.get(name);
            }
        }
        String value = env.apply(name);
        if (value != null) {
            Map<String, Object> parsed = new ConfigParser("pk=" + value, "$" + name, baseDir, env, includeDepth,
                    usedVariables).parseDocument();
            return parsed.get("pk");
        }
        throw error(at, "variable reference for '" + name + "' can not be found");
    }

    private void skipSpaceAndComments(boolean newlines) {
        while (!eof()) {
            char c = peek();
            if (c == ' ' || c == '\t' || (newlines && (c == '\n' || c == '\r'))) {
                pos++;
            } else if (c == '#' || (c == '/' && peekAt(1) == '/')) {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipInlineSpace() {
        while (!eof() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipComment() {
        int nl = src.indexOf('\n', pos);
        pos = nl < 0 ? src.length() : nl + 1;
    }

    private boolean eof() {
        return pos >= src.length();
    }

    private char peek() {
        return src.charAt(pos);
    }

    private char peekAt(int off) {
        int p = pos + off;
        return p < src.length() ? src.charAt(p) : '\0';
    }

    private static String describe(char c) {
        return c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.valueOf(c);
    }

    /**
     * {@code file:line:column} of an offset, as the reference names a key's place: its lexer
     * counts columns from the start of the file on line 1 (from 0) and from the new line before
     * it on later lines (so from 1).
     */
    private String position(int at) {
        return place(at, 0);
    }

    /** A syntax error at an offset: {@code file:line:column} with columns from 1 on every line. */
    private ConfigException error(int at, String message) {
        return new ConfigException(place(at, 1) + ": " + message);
    }

    /** {@code file:line:column}; {@code firstColumn} is line 1's first column, later lines start at 1. */
    private String place(int at, int firstColumn) {
        int line = 1;
        int col = firstColumn;
        for (int i = 0; i < at && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return file + ":" + line + ":" + col;
    }
}
