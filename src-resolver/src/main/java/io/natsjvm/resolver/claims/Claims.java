package io.natsjvm.resolver.claims;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
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
        OperatorClaims o = new OperatorClaims(jwt.token(), jwt.subject(), jwt.name(), jwt.issuer(),
                keys(n.path("signing_keys")), text(n, "system_account"), text(n, "account_server_url"));
        ClaimsValidation.operator(o);
        return o;
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
        // Missing limits are Go's zero values (0, false), not "unlimited": nsc always writes -1.
        // subs, payload, conn and leaf are kept as Go's int32 by the server (a cast, not a clamp).
        AccountLimits limits = new AccountLimits((int) num(l, "subs"), num(l, "data"), (int) num(l, "payload"),
                num(l, "imports"), num(l, "exports"), l.path("wildcards").asBoolean(false),
                (int) num(l, "conn"), (int) num(l, "leaf"), l.path("disallow_bearer").asBoolean(false));
        Map<String, Long> revocations = new LinkedHashMap<>();
        n.path("revocations").fields().forEachRemaining(e -> revocations.put(e.getKey(), e.getValue().asLong()));
        List<Export> exports = new ArrayList<>();
        for (JsonNode e : n.path("exports")) {
            Map<String, Long> exportRevocations = new LinkedHashMap<>();
            e.path("revocations").fields().forEachRemaining(r -> exportRevocations.put(r.getKey(), r.getValue().asLong()));
            JsonNode lat = e.path("service_latency");
            Export.ServiceLatency latency = lat.isObject() ? new Export.ServiceLatency(
                    lat.path("sampling").isTextual() ? 0 : lat.path("sampling").asInt(0), text(lat, "results")) : null;
            exports.add(new Export(text(e, "name"), text(e, "subject"), typeOf(e), e.path("token_req").asBoolean(false),
                    text(e, "response_type"), e.path("account_token_position").asInt(0), exportRevocations,
                    e.path("response_threshold").asLong(0), latency, null));
        }
        List<Import> imports = new ArrayList<>();
        for (JsonNode i : n.path("imports")) {
            imports.add(new Import(text(i, "name"), text(i, "subject"), text(i, "account"), text(i, "token"),
                    text(i, "to"), text(i, "local_subject"), typeOf(i), i.path("share").asBoolean(false)));
        }
        Map<String, List<WeightedMapping>> mappings = new LinkedHashMap<>();
        n.path("mappings").fields().forEachRemaining(e -> {
            List<WeightedMapping> to = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                long weight = w.path("weight").asLong(0);
                to.add(new WeightedMapping(text(w, "subject"), weight == 0 ? 100 : (int) weight, text(w, "cluster")));
            }
            mappings.put(e.getKey(), to);
        });
        AccountClaims a = new AccountClaims(jwt.token(), jwt.subject(), jwt.name(), jwt.issuer(), jwt.issuedAt(),
                jwt.expires(), limits, keys(n.path("signing_keys")), revocations, exports, imports,
                scopes(n.path("signing_keys")), strings(n.path("tags")), mappings);
        JsonNode defaults = n.path("default_permissions");
        ClaimsValidation.account(a, rules(defaults.path("pub")), rules(defaults.path("sub")));
        return a;
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
        UserLimits limits = userLimits(n);
        ClaimsValidation.user(limits, issuerAccount);
        return new UserClaims(jwt.token(), jwt.subject(), jwt.name(), jwt.issuer(), issuerAccount, jwt.issuedAt(),
                jwt.expires(), limits, strings(n.path("tags")), limitsSet(n));
    }

    /** The permission and limit fields of a user JWT's nats block, or of a scoped key's template. */
    static UserLimits userLimits(JsonNode n) {
        return userLimits(n, 0);
    }

    /**
     * @param noLimit the value of an absent subs/data/payload: 0 in a user JWT (Go's zero value),
     *                -1 in a scoped key's template (the library presets it before decoding)
     */
    static UserLimits userLimits(JsonNode n, long noLimit) {
        JsonNode resp = n.path("resp");
        // max is a Go int: the server keeps it as given (it is only compared), clamped to Java's int
        ResponseRule rr = resp.isObject() ? new ResponseRule(
                (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, resp.path("max").asLong(0))),
                resp.path("ttl").asLong(0)) : null;
        return new UserLimits(rules(n.path("pub")), rules(n.path("sub")), rr, strings(n.path("src")),
                n.path("subs").asLong(noLimit), n.path("data").asLong(noLimit), n.path("payload").asLong(noLimit), n.path("bearer_token").asBoolean(false),
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

    /** Time windows as written; {@link ClaimsValidation} checks them with Go's clock format. */
    private static ConnectTimes times(JsonNode n) {
        List<ConnectTimes.Window> windows = new ArrayList<>();
        for (JsonNode t : n.path("times")) {
            windows.add(new ConnectTimes.Window(t.path("start").asText(""), t.path("end").asText("")));
        }
        return windows.isEmpty() ? ConnectTimes.ANY : new ConnectTimes(windows, text(n, "times_location"));
    }

    /** Export/import type: "stream", "service", or null when absent (refused by validation). */
    private static String typeOf(JsonNode n) {
        return text(n, "type");
    }

    /**
     * An activation token for a token-required export: signed by the exporting account (or one
     * of its signing keys, naming it in issuer_account), for {@code importer}, covering the subject.
     */
    public static Activation checkActivation(String token, AccountClaims exporter, String importer, String subject,
            long nowSeconds) throws JwtException {
        if (token == null || token.isEmpty()) {
            throw new JwtException("export requires an activation token");
        }
        DecodedJwt jwt = Jwts.decode(token);
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
        if (!granted.isEmpty() && !SubjectMatch.covers(granted, subject)) {
            throw new JwtException("activation for " + granted + " does not cover " + subject);
        }
        jwt.checkTimes(nowSeconds);
        return new Activation(jwt.issuedAt(), jwt.expires());
    }

    /** An accepted activation: when it was issued (revocations compare it) and expires (0: never). */
    public record Activation(long issuedAt, long expires) {
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

    /** A limit (an int64 already checked by the schema): absent is Go's zero value. */
    private static long num(JsonNode n, String field) {
        return n.path(field).asLong(0);
    }

    private static SubjectRules rules(JsonNode n) {
        return n.isObject() ? new SubjectRules(strings(n.path("allow")), strings(n.path("deny"))) : SubjectRules.NONE;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText("")));
        return out;
    }

    /** The scoped signing keys ({@code "kind": "user_scope"} objects) of an account, by key. */
    private static Map<String, UserScope> scopes(JsonNode n) throws JwtException {
        Map<String, UserScope> out = new LinkedHashMap<>();
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (e.isObject()) {
                    String key = e.path("key").asText("");
                    out.put(key, new UserScope(key, text(e, "role"), userLimits(e.path("template"), -1)));
                }
            }
        }
        return out;
    }

    /** Signing keys: plain strings, or scoped-key objects with a {@code key} field. */
    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(e -> out.add(e.isObject() ? e.path("key").asText("") : e.asText("")));
        }
        return out;
    }
}
