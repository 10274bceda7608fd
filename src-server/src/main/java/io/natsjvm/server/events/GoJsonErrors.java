package io.natsjvm.server.events;

/**
 * Describes why a request body is not acceptable JSON in the words of Go's encoding/json, which
 * the reference puts in its 400 replies ("invalid character 'b' looking for beginning of object
 * key string"). A small syntax walk finds the first offending character; a body that is valid
 * JSON of the wrong shape is described from the parser's own error.
 */
final class GoJsonErrors {
    private final byte[] in;
    private int pos;

    private GoJsonErrors(byte[] in) {
        this.in = in;
    }

    static String describe(byte[] body, Exception parseError) {
        String syntax = new GoJsonErrors(body).check();
        if (syntax != null) {
            return syntax;
        }
        String msg = parseError.getMessage() == null ? parseError.toString() : parseError.getMessage();
        return "json: cannot unmarshal " + msg.lines().findFirst().orElse("");
    }

    /** @return Go's message for the first syntax error, or null if the body is valid JSON */
    private String check() {
        try {
            value("looking for beginning of value");
            skipSpace();
            if (pos < in.length) {
                throw new Bad("invalid character " + quote(in[pos]) + " after top-level value");
            }
            return null;
        } catch (Bad b) {
            return b.getMessage();
        }
    }

    private static final class Bad extends RuntimeException {
        Bad(String m) {
            super(m, null, false, false);
        }
    }

    private void skipSpace() {
        while (pos < in.length && (in[pos] == ' ' || in[pos] == '\t' || in[pos] == '\n' || in[pos] == '\r')) {
            pos++;
        }
    }

    private int next(String context) {
        skipSpace();
        if (pos >= in.length) {
            throw new Bad("unexpected end of JSON input");
        }
        return in[pos] & 0xff;
    }

    private void value(String context) {
        int c = next(context);
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw new Bad("invalid character " + quote(c) + " " + context);
                }
            }
        }
    }

    private void object() {
        pos++;
        int c = next("looking for beginning of object key string");
        if (c == '}') {
            pos++;
            return;
        }
        while (true) {
            c = next("looking for beginning of object key string");
            if (c != '"') {
                throw new Bad("invalid character " + quote(c) + " looking for beginning of object key string");
            }
            string();
            c = next("after object key");
            if (c != ':') {
                throw new Bad("invalid character " + quote(c) + " after object key");
            }
            pos++;
            value("looking for beginning of value");
            c = next("after object key:value pair");
            pos++;
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw new Bad("invalid character " + quote(c) + " after object key:value pair");
            }
        }
    }

    private void array() {
        pos++;
        int c = next("looking for beginning of value");
        if (c == ']') {
            pos++;
            return;
        }
        while (true) {
            value("looking for beginning of value");
            c = next("after array element");
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw new Bad("invalid character " + quote(c) + " after array element");
            }
        }
    }

    private void string() {
        pos++;
        while (pos < in.length) {
            int c = in[pos++] & 0xff;
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                if (pos >= in.length) {
                    break;
                }
                int e = in[pos++] & 0xff;
                if ("\"\\/bfnrtu".indexOf(e) < 0) {
                    throw new Bad("invalid character " + quote(e) + " in string escape code");
                }
            } else if (c < 0x20) {
                throw new Bad("invalid character " + quote(c) + " in string literal");
            }
        }
        throw new Bad("unexpected end of JSON input");
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (pos >= in.length) {
                throw new Bad("unexpected end of JSON input");
            }
            int c = in[pos] & 0xff;
            if (c != word.charAt(i)) {
                throw new Bad("invalid character " + quote(c) + " in literal " + word + " (expecting "
                        + quote(word.charAt(i)) + ")");
            }
            pos++;
        }
    }

    private void number() {
        if (in[pos] == '-') {
            pos++;
            if (pos >= in.length) {
                throw new Bad("unexpected end of JSON input");
            }
            if (!digit(in[pos])) {
                throw new Bad("invalid character " + quote(in[pos]) + " in numeric literal");
            }
        }
        while (pos < in.length && (digit(in[pos]) || "+-.eE".indexOf(in[pos]) >= 0)) {
            pos++;
        }
    }

    private static boolean digit(int b) {
        return b >= '0' && b <= '9';
    }

    private static String quote(int c) {
        c &= 0xff;
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        return switch (c) {
            case '\n' -> "'\\n'";
            case '\r' -> "'\\r'";
            case '\t' -> "'\\t'";
            default -> c < 0x20 || c >= 0x7f ? String.format("'\\x%02x'", c) : "'" + (char) c + "'";
        };
    }
}
