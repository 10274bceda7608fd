package io.natsjvm.server.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/**
 * Decodes a client's CONNECT JSON with Go's {@code encoding/json} rules, as the reference does:
 * a key names a field exactly or case-insensitively ({@code "USER"} is {@code user}), the last of
 * repeated keys wins, unknown keys are skipped, {@code null} changes nothing, and a value of
 * the wrong JSON type ({@code "verbose":"yes"}, {@code "user":1}, {@code "protocol":1.5}) or
 * anything after the object fails the whole CONNECT.
 *
 * <p>Streaming, not data binding: every login goes through here, and binding a record cost a
 * tenth of the event loop's time in a connect storm, plus JIT work for the binding machinery.
 */
public final class ConnectDecoder {
    /** Thread-safe once configured; the defaults are the strict JSON the reference accepts. */
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final String[] FIELDS = {"verbose", "pedantic", "tls_required", "auth_token", "user", "pass",
            "name", "lang", "version", "protocol", "echo", "headers", "no_responders", "nkey", "sig", "jwt",
            "account", "new_account"};

    private ConnectDecoder() {
    }

    /** The options in {@code json}, or null for a JSON {@code null} (nothing changes, as in Go). */
    public static ConnectOptions decode(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken root = p.nextToken();
            if (root == null) {
                throw new IOException("unexpected end of JSON input");
            }
            ConnectOptions decoded = switch (root) {
                case VALUE_NULL -> null;
                case START_OBJECT -> fields(p);
                default -> throw new IOException("cannot unmarshal " + goName(root) + " into the CONNECT object");
            };
            if (p.nextToken() != null) {
                throw new IOException("invalid character after top-level value");
            }
            return decoded;
        }
    }

    private static ConnectOptions fields(JsonParser p) throws IOException {
        Boolean verbose = null;
        Boolean pedantic = null;
        Boolean tlsRequired = null;
        String authToken = null;
        String user = null;
        String pass = null;
        String name = null;
        String lang = null;
        String version = null;
        Integer protocol = null;
        Boolean echo = null;
        Boolean headers = null;
        Boolean noResponders = null;
        String nkey = null;
        String sig = null;
        String jwt = null;
        String account = null;
        Boolean newAccount = null;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            switch (field(key)) {
                case "verbose" -> verbose = bool(p, v, verbose);
                case "pedantic" -> pedantic = bool(p, v, pedantic);
                case "tls_required" -> tlsRequired = bool(p, v, tlsRequired);
                case "auth_token" -> authToken = text(p, v, authToken);
                case "user" -> user = text(p, v, user);
                case "pass" -> pass = text(p, v, pass);
                case "name" -> name = text(p, v, name);
                case "lang" -> lang = text(p, v, lang);
                case "version" -> version = text(p, v, version);
                case "protocol" -> protocol = integer(p, v, protocol);
                case "echo" -> echo = bool(p, v, echo);
                case "headers" -> headers = bool(p, v, headers);
                case "no_responders" -> noResponders = bool(p, v, noResponders);
                case "nkey" -> nkey = text(p, v, nkey);
                case "sig" -> sig = text(p, v, sig);
                case "jwt" -> jwt = text(p, v, jwt);
                case "account" -> account = text(p, v, account);
                case "new_account" -> newAccount = bool(p, v, newAccount);
                default -> p.skipChildren(); // an unknown key: its value is still checked for syntax
            }
        }
        return new ConnectOptions(verbose, pedantic, tlsRequired, authToken, user, pass, name, lang, version, protocol,
                echo, headers, noResponders, nkey, sig, jwt, account, newAccount);
    }

    /** The field a key names: its exact name, else the first that matches it as Go folds case. */
    static String field(String key) {
        for (String f : FIELDS) {
            if (f.equals(key)) {
                return f;
            }
        }
        for (String f : FIELDS) {
            if (foldEquals(f, key)) {
                return f;
            }
        }
        return "";
    }

    /**
     * Go's case-insensitive key match for an ASCII field name: ASCII letters fold, and so do the two
     * non-ASCII letters that fold to ASCII ones (U+017F long s to 's', U+212A Kelvin sign to 'k').
     */
    static boolean foldEquals(String field, String key) {
        if (field.length() != key.length()) {
            return false;
        }
        for (int i = 0; i < field.length(); i++) {
            char f = field.charAt(i);
            char k = key.charAt(i);
            if (f == k || (f >= 'a' && f <= 'z' && k == f - ('a' - 'A')) || (f == 's' && k == '\u017f')
                    || (f == 'k' && k == '\u212a')) {
                continue;
            }
            return false;
        }
        return true;
    }

    // Each reader returns the field's value so far for a JSON null: in Go a null changes nothing,
    // not even a value an earlier key of the same CONNECT set.

    private static Boolean bool(JsonParser p, JsonToken v, Boolean current) throws IOException {
        return switch (v) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> current;
            default -> throw mismatch(p, v, "bool");
        };
    }

    private static String text(JsonParser p, JsonToken v, String current) throws IOException {
        return switch (v) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> current;
            default -> throw mismatch(p, v, "string");
        };
    }

    /** Go's int is 64 bits: any integer literal in that range is taken (kept here within int's). */
    private static Integer integer(JsonParser p, JsonToken v, Integer current) throws IOException {
        return switch (v) {
            case VALUE_NUMBER_INT -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, p.getLongValue()));
            case VALUE_NULL -> current;
            default -> throw mismatch(p, v, "int");
        };
    }

    /** The whole CONNECT fails: the rest of the JSON is never read. */
    private static IOException mismatch(JsonParser p, JsonToken v, String type) throws IOException {
        return new IOException("cannot unmarshal " + goName(v) + " into CONNECT field " + p.currentName() + " of type "
                + type);
    }

    /** The JSON type as Go's error messages name it. */
    private static String goName(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "bool";
            case START_ARRAY -> "array";
            case START_OBJECT -> "object";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
