package io.natsjvm.resolver.claims;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.nkey.NKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the claim records out of decoded JWTs, checking type, keys and signature. */
public final class Claims {
    private Claims() {
    }

    public static OperatorClaims operator(DecodedJwt jwt) throws JwtException {
        expectType(jwt, "operator");
        requireKey(jwt.subject(), NKeys.PREFIX_OPERATOR, "operator subject");
        requireKey(jwt.issuer(), NKeys.PREFIX_OPERATOR, "operator issuer");
        if (!jwt.signedBy(jwt.issuer(), NKeys.PREFIX_OPERATOR)) {
            throw new JwtException("operator JWT signature verification failed");
        }
        JsonNode n = jwt.nats();
        return new OperatorClaims(jwt.token(), jwt.subject(), jwt.name(), jwt.issuer(), keys(n.path("signing_keys")),
                text(n, "system_account"), text(n, "account_server_url"));
    }

    /** Parses an account JWT and checks its own signature (trust is checked by {@link TrustChain}). */
    public static AccountClaims account(DecodedJwt jwt) throws JwtException {
        expectType(jwt, "account");
        requireKey(jwt.subject(), NKeys.PREFIX_ACCOUNT, "account subject");
        requireKey(jwt.issuer(), NKeys.PREFIX_OPERATOR, "account issuer");
        if (!jwt.signedBy(jwt.issuer(), NKeys.PREFIX_OPERATOR)) {
            throw new JwtException("account JWT signature verification failed");
        }
        JsonNode n = jwt.nats();
        JsonNode l = n.path("limits");
        AccountLimits limits = new AccountLimits(num(l, "subs"), num(l, "data"), num(l, "payload"),
                num(l, "imports"), num(l, "exports"), !l.has("wildcards") || l.path("wildcards").asBoolean(true),
                num(l, "conn"), num(l, "leaf"), l.path("disallow_bearer").asBoolean(false));
        Map<String, Long> revocations = new LinkedHashMap<>();
        n.path("revocations").fields().forEachRemaining(e -> revocations.put(e.getKey(), e.getValue().asLong()));
        List<Export> exports = new ArrayList<>();
        for (JsonNode e : n.path("exports")) {
            exports.add(new Export(text(e, "name"), text(e, "subject"), typeOf(e), e.path("token_req").asBoolean(false),
                    text(e, "response_type")));
        }
        List<Import> imports = new ArrayList<>();
        for (JsonNode i : n.path("imports")) {
            imports.add(new Import(text(i, "name"), text(i, "subject"), text(i, "account"), text(i, "token"),
                    text(i, "to"), text(i, "local_subject"), typeOf(i)));
        }
        return new AccountClaims(jwt.token(), jwt.subject(), jwt.name(), jwt.issuer(), jwt.issuedAt(), jwt.expires(),
                limits, keys(n.path("signing_keys")), revocations, exports, imports, scopes(n.path("signing_keys")),
                strings(n.path("tags")));
    }

    /** Parses a user JWT and checks its own signature (the chain is checked by {@link TrustChain}). */
    public static UserClaims user(DecodedJwt jwt) throws JwtException {
        expectType(jwt, "user");
        requireKey(jwt.subject(), NKeys.PREFIX_USER, "user subject");
        requireKey(jwt.issuer(), NKeys.PREFIX_ACCOUNT, "user issuer");
        if (!jwt.signedBy(jwt.issuer(), NKeys.PREFIX_ACCOUNT)) {
            throw new JwtException("user JWT signature verification failed");
        }
        JsonNode n = jwt.nats();
        String issuerAccount = text(n, "issuer_account");
        if (issuerAccount != null) {
            requireKey(issuerAccount, NKeys.PREFIX_ACCOUNT, "issuer_account");
        }
        return new UserClaims(jwt.token(), jwt.subject(), jwt.name(), jwt.issuer(), issuerAccount, jwt.issuedAt(),
                jwt.expires(), userLimits(n), strings(n.path("tags")), limitsSet(n));
    }

    /** The permission and limit fields of a user JWT's nats block, or of a scoped key's template. */
    static UserLimits userLimits(JsonNode n) throws JwtException {
        JsonNode resp = n.path("resp");
        ResponseRule rr = resp.isObject() ? new ResponseRule(resp.path("max").asInt(0), resp.path("ttl").asLong(0))
                : null;
        return new UserLimits(rules(n.path("pub")), rules(n.path("sub")), rr, strings(n.path("src")), num(n, "subs"),
                num(n, "data"), num(n, "payload"), n.path("bearer_token").asBoolean(false),
                strings(n.path("allowed_connection_types")), times(n));
    }

    private static final List<String> LIMIT_FIELDS = List.of("pub", "sub", "resp", "src", "times", "times_location",
            "subs", "data", "payload", "bearer_token", "allowed_connection_types");

    /**
     * Whether a user JWT sets any permission or limit: the reference compares them with their zero
     * values, so a field written as 0, false, {} or [] does not count, anything else does.
     */
    private static boolean limitsSet(JsonNode n) {
        for (String f : LIMIT_FIELDS) {
            JsonNode v = n.path(f);
            boolean zero = switch (f) {
                // pub and sub are structs: zero while both lists are absent (an empty list is not nil)
                case "pub", "sub" -> v.isMissingNode() || v.isNull()
                        || v.isObject() && isZero(v.path("allow")) && isZero(v.path("deny"));
                default -> isZero(v);
            };
            if (!zero) {
                return true;
            }
        }
        return false;
    }

    /** Go's zero value for a scalar, list or pointer field: absent, null, 0, false or "". */
    private static boolean isZero(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return true;
        }
        if (v.isNumber()) {
            return v.asLong() == 0;
        }
        if (v.isBoolean()) {
            return !v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText().isEmpty();
        }
        return false; // an array (even empty) or an object such as resp (a pointer) is set
    }

    private static ConnectTimes times(JsonNode n) throws JwtException {
        List<ConnectTimes.Window> windows = new ArrayList<>();
        for (JsonNode t : n.path("times")) {
            String start = t.path("start").asText("");
            String end = t.path("end").asText("");
            try {
                java.time.LocalTime.parse(start);
                java.time.LocalTime.parse(end);
            } catch (java.time.format.DateTimeParseException e) {
                throw new JwtException("invalid connect time range " + start + "-" + end);
            }
            windows.add(new ConnectTimes.Window(start, end));
        }
        String locale = text(n, "times_location");
        if (locale != null) {
            try {
                java.time.ZoneId.of(locale);
            } catch (java.time.DateTimeException e) {
                throw new JwtException("invalid locale " + locale);
            }
        }
        return windows.isEmpty() ? ConnectTimes.ANY : new ConnectTimes(windows, locale);
    }

    /** Export/import type: "stream" or "service" (the Go library also writes 1/2). */
    private static String typeOf(JsonNode n) {
        JsonNode t = n.path("type");
        if (t.isNumber()) {
            return t.asInt() == 2 ? "service" : "stream";
        }
        return "service".equalsIgnoreCase(t.asText()) ? "service" : "stream";
    }

    /**
     * An activation token for a token-required export: signed by the exporting account (or one
     * of its signing keys, naming it in issuer_account), for {@code importer}, covering the subject.
     */
    public static void checkActivation(String token, AccountClaims exporter, String importer, String subject,
            long nowSeconds) throws JwtException {
        if (token == null || token.isEmpty()) {
            throw new JwtException("export requires an activation token");
        }
        DecodedJwt jwt = io.natsjvm.resolver.jwt.Jwts.decode(token);
        expectType(jwt, "activation");
        String iss = jwt.issuer();
        boolean bySigner = exporter.signingKeys().contains(iss)
                && exporter.subject().equals(jwt.nats().path("issuer_account").asText(""));
        if (!exporter.subject().equals(iss) && !bySigner) {
            throw new JwtException("activation not issued by the exporting account");
        }
        if (!jwt.signedBy(iss, NKeys.PREFIX_ACCOUNT)) {
            throw new JwtException("activation signature verification failed");
        }
        if (!importer.equals(jwt.subject())) {
            throw new JwtException("activation is for " + jwt.subject() + ", not " + importer);
        }
        String granted = jwt.nats().path("subject").asText("");
        if (!granted.isEmpty() && !io.natsjvm.resolver.claims.SubjectMatch.covers(granted, subject)) {
            throw new JwtException("activation for " + granted + " does not cover " + subject);
        }
        jwt.checkTimes(nowSeconds);
    }

    private static void expectType(DecodedJwt jwt, String type) throws JwtException {
        if (!type.equals(jwt.type())) {
            throw new JwtException("not " + (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type
                    + " JWT (type \"" + jwt.type() + "\")");
        }
    }

    private static void requireKey(String key, int prefix, String what) throws JwtException {
        if (key == null || !NKeys.isValidPublic(key, prefix)) {
            throw new JwtException(what + " is not a valid public key: \"" + key + "\"");
        }
    }

    private static String text(JsonNode n, String field) {
        String v = n.path(field).asText(null);
        return v == null || v.isEmpty() ? null : v;
    }

    /** A limit: absent means unlimited (-1), as the Go library's defaults. */
    private static long num(JsonNode n, String field) {
        return n.has(field) ? n.path(field).asLong(-1) : -1;
    }

    private static SubjectRules rules(JsonNode n) {
        return n.isObject() ? new SubjectRules(strings(n.path("allow")), strings(n.path("deny"))) : SubjectRules.NONE;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isTextual() && !n.asText().isEmpty()) {
            for (String s : n.asText().split(",")) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** The scoped signing keys ({@code "kind": "user_scope"} objects) of an account, by key. */
    private static Map<String, UserScope> scopes(JsonNode n) throws JwtException {
        Map<String, UserScope> out = new LinkedHashMap<>();
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (e.isObject()) {
                    String key = e.path("key").asText();
                    if (!"user_scope".equals(e.path("kind").asText())) {
                        throw new JwtException("signing key " + key + " has an unknown scope kind '"
                                + e.path("kind").asText() + "'");
                    }
                    out.put(key, new UserScope(key, text(e, "role"), userLimits(e.path("template"))));
                }
            }
        }
        return out;
    }

    /** Signing keys: plain strings, or scoped-key objects with a {@code key} field. */
    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.isObject() ? e.path("key").asText() : e.asText()));
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> out.add(e.getKey()));
        }
        return out;
    }
}
