package io.natsjvm.resolver.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Locale;

import static io.natsjvm.resolver.jwt.GoType.BOOL;
import static io.natsjvm.resolver.jwt.GoType.INT64;
import static io.natsjvm.resolver.jwt.GoType.STRING;
import static io.natsjvm.resolver.jwt.GoType.UINT;
import static io.natsjvm.resolver.jwt.GoType.UINT8;
import static io.natsjvm.resolver.jwt.GoType.list;
import static io.natsjvm.resolver.jwt.GoType.mapOf;
import static io.natsjvm.resolver.jwt.GoType.struct;

/**
 * The typed shapes of NATS JWTs as the Go jwt library (v2.3, used by nats-server 2.9.10) declares
 * them, v1 and v2. Every field a token may carry has exactly one type here; {@link Jwts#decode}
 * decodes each token through the schema of its kind and version.
 */
final class ClaimSchemas {
    private ClaimSchemas() {
    }

    static final GoType.Struct HEADER = struct("jwt.Header").field("typ", STRING).field("alg", STRING);

    static final GoType.Struct CLAIMS_DATA = struct("jwt.ClaimsData")
            .field("aud", STRING).field("exp", INT64).field("jti", STRING).field("iat", INT64)
            .field("iss", STRING).field("name", STRING).field("nbf", INT64).field("sub", STRING);

    static final GoType.Struct GENERIC_FIELDS = struct("jwt.GenericFields")
            .field("tags", list(STRING)).field("type", STRING).field("version", INT64);

    /** What is read first to learn kind and version: v1 puts {@code type} at the top. */
    static final GoType.Struct IDENTIFIER = struct("jwt.identifier")
            .field("type", STRING).field("nats", GENERIC_FIELDS);

    /** The fields v2 moved into the nats block, at the top of a v1 token. */
    private static final GoType.Struct V1_DELETED = struct("jwt.v1ClaimsDataDeletedFields")
            .field("tags", list(STRING)).field("type", STRING).field("issuer_account", STRING);

    private static final GoType.Struct INFO = struct("jwt.Info")
            .field("description", STRING).field("info_url", STRING);

    /** An import or export type: only the strings "stream" and "service" (null is refused too). */
    static final GoType EXPORT_TYPE = GoType.custom("jwt.ExportType", (v, path) -> {
        if (v.isTextual() && (v.asText().equals("stream") || v.asText().equals("service"))) {
            return v;
        }
        throw new JwtException("unknown export type " + v + " in " + path);
    });

    /** A CIDR list: an array of strings, or one comma-separated string (lower-cased, trimmed). */
    static final GoType CIDR_LIST = GoType.custom("jwt.CIDRList", (v, path) -> {
        if (v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            return list(STRING).decode(v, path);
        }
        if (v.isTextual()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (String s : v.asText().toLowerCase(Locale.ROOT).split(",", -1)) {
                String t = s.strip();
                if (!t.isEmpty() && !contains(out, t)) {
                    out.add(t);
                }
            }
            return out;
        }
        throw new JwtException("json: cannot unmarshal " + v.getNodeType().name().toLowerCase(Locale.ROOT)
                + " into field " + path + " of type jwt.CIDRList");
    });

    /** Latency sampling: a percentage, or the string "headers" in any case. */
    private static final GoType SAMPLING = GoType.custom("jwt.SamplingRate", (v, path) -> {
        if (v.isTextual() && v.asText().equalsIgnoreCase("headers")) {
            return new TextNode("headers");
        }
        return INT64.decode(v, path);
    });

    static final GoType.Struct PERMISSION = struct("jwt.Permission")
            .field("allow", list(STRING)).field("deny", list(STRING));

    static final GoType.Struct RESPONSE_PERMISSION = struct("jwt.ResponsePermission")
            .field("max", INT64).field("ttl", INT64);

    private static final GoType.Struct PERMISSIONS = struct("jwt.Permissions")
            .field("pub", PERMISSION).field("sub", PERMISSION).field("resp", RESPONSE_PERMISSION);

    private static final GoType.Struct TIME_RANGE = struct("jwt.TimeRange")
            .field("start", STRING).field("end", STRING);

    private static final GoType.Struct NATS_LIMITS = struct("jwt.NatsLimits")
            .field("subs", INT64).field("data", INT64).field("payload", INT64);

    /** Permissions and limits of a user (and a scoped signing key's template). */
    static final GoType.Struct USER_PERMISSION_LIMITS = struct("jwt.UserPermissionLimits")
            .embed(PERMISSIONS)
            .field("src", CIDR_LIST).field("times", list(TIME_RANGE)).field("times_location", STRING)
            .embed(NATS_LIMITS)
            .field("bearer_token", BOOL).field("allowed_connection_types", list(STRING));

    private static final GoType.Struct USER_SCOPE = struct("jwt.UserScope")
            .field("kind", STRING).field("key", STRING).field("role", STRING)
            .field("template", USER_PERMISSION_LIMITS);

    /**
     * An account's signing keys: an array of public keys and scoped-key objects. Objects must be of
     * kind "user_scope"; other JSON values in the array are skipped, as the Go library skips them.
     */
    private static final GoType SIGNING_KEYS = GoType.custom("jwt.SigningKeys", (v, path) -> {
        if (v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new JwtException("json: cannot unmarshal " + v.getNodeType().name().toLowerCase(Locale.ROOT)
                    + " into field " + path + " of type []interface {}");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode e : v) {
            if (e.isTextual()) {
                out.add(e);
            } else if (e.isObject()) {
                if (!"user_scope".equals(e.path("kind").textValue())) {
                    throw new JwtException("unknown signing key scope in " + path + ": " + e.path("kind"));
                }
                out.add(USER_SCOPE.decode(e, path + "[]"));
            }
        }
        return out;
    });

    private static final GoType.Struct EXPORT = struct("jwt.Export")
            .field("name", STRING).field("subject", STRING).field("type", EXPORT_TYPE)
            .field("token_req", BOOL).field("revocations", mapOf(INT64))
            .field("response_type", STRING).field("response_threshold", INT64)
            .field("service_latency", struct("jwt.ServiceLatency").field("sampling", SAMPLING)
                    .field("results", STRING))
            .field("account_token_position", UINT).field("advertise", BOOL)
            .embed(INFO);

    private static final GoType.Struct IMPORT = struct("jwt.Import")
            .field("name", STRING).field("subject", STRING).field("account", STRING).field("token", STRING)
            .field("to", STRING).field("local_subject", STRING).field("type", EXPORT_TYPE).field("share", BOOL);

    private static final GoType.Struct ACCOUNT_LIMITS = struct("jwt.AccountLimits")
            .field("imports", INT64).field("exports", INT64).field("wildcards", BOOL)
            .field("disallow_bearer", BOOL).field("conn", INT64).field("leaf", INT64);

    private static final GoType.Struct JETSTREAM_LIMITS = struct("jwt.JetStreamLimits")
            .field("mem_storage", INT64).field("disk_storage", INT64).field("streams", INT64)
            .field("consumer", INT64).field("max_ack_pending", INT64).field("mem_max_stream_bytes", INT64)
            .field("disk_max_stream_bytes", INT64).field("max_bytes_required", BOOL);

    private static final GoType.Struct OPERATOR_LIMITS = struct("jwt.OperatorLimits")
            .embed(NATS_LIMITS).embed(ACCOUNT_LIMITS).embed(JETSTREAM_LIMITS)
            .field("tiered_limits", mapOf(JETSTREAM_LIMITS));

    private static final GoType.Struct WEIGHTED_MAPPING = struct("jwt.WeightedMapping")
            .field("subject", STRING).field("weight", UINT8).field("cluster", STRING);

    // ---- v2 tokens: ClaimsData at the top, everything else in nats ----

    static final GoType.Struct USER_V2 = struct("jwt.UserClaims").embed(CLAIMS_DATA)
            .field("nats", struct("jwt.User").embed(USER_PERMISSION_LIMITS)
                    .field("issuer_account", STRING).embed(GENERIC_FIELDS));

    static final GoType.Struct ACCOUNT_V2 = struct("jwt.AccountClaims").embed(CLAIMS_DATA)
            .field("nats", struct("jwt.Account")
                    .field("imports", list(IMPORT)).field("exports", list(EXPORT))
                    .field("limits", OPERATOR_LIMITS).field("signing_keys", SIGNING_KEYS)
                    .field("revocations", mapOf(INT64)).field("default_permissions", PERMISSIONS)
                    .field("mappings", mapOf(list(WEIGHTED_MAPPING)))
                    .embed(INFO).embed(GENERIC_FIELDS));

    static final GoType.Struct OPERATOR_V2 = struct("jwt.OperatorClaims").embed(CLAIMS_DATA)
            .field("nats", struct("jwt.Operator")
                    .field("signing_keys", list(STRING)).field("account_server_url", STRING)
                    .field("operator_service_urls", list(STRING)).field("system_account", STRING)
                    .field("assert_server_version", STRING).field("strict_signing_key_usage", BOOL)
                    .embed(INFO).embed(GENERIC_FIELDS));

    static final GoType.Struct ACTIVATION_V2 = struct("jwt.ActivationClaims").embed(CLAIMS_DATA)
            .field("nats", struct("jwt.Activation")
                    .field("subject", STRING).field("kind", EXPORT_TYPE).field("issuer_account", STRING)
                    .embed(GENERIC_FIELDS));

    /** Claims of any other type (e.g. the generic JWTs of CLAIMS.LIST/DELETE requests). */
    static final GoType.Struct GENERIC = struct("jwt.GenericClaims").embed(CLAIMS_DATA)
            .field("nats", mapOf(GoType.ANY));

    // ---- v1 tokens: type, tags and issuer_account at the top ----

    static final GoType.Struct USER_V1 = struct("jwt.v1UserClaims").embed(CLAIMS_DATA).embed(V1_DELETED)
            .field("nats", struct("jwt.v1User").embed(PERMISSIONS)
                    .field("src", CIDR_LIST).field("times", list(TIME_RANGE)).field("times_location", STRING)
                    .embed(NATS_LIMITS).field("bearer_token", BOOL).field("max", INT64));

    static final GoType.Struct ACCOUNT_V1 = struct("jwt.v1AccountClaims").embed(CLAIMS_DATA).embed(V1_DELETED)
            .field("nats", struct("jwt.v1NatsAccount")
                    .field("imports", list(IMPORT)).field("exports", list(EXPORT))
                    .field("limits", struct("jwt.v1Limits").embed(NATS_LIMITS).embed(ACCOUNT_LIMITS))
                    .field("signing_keys", list(STRING)).field("revocations", mapOf(INT64)));

    static final GoType.Struct OPERATOR_V1 = struct("jwt.v1OperatorClaims").embed(CLAIMS_DATA).embed(V1_DELETED)
            .field("nats", struct("jwt.v1NatsOperator")
                    .field("signing_keys", list(STRING)).field("account_server_url", STRING)
                    .field("operator_service_urls", list(STRING)).field("system_account", STRING));

    static final GoType.Struct ACTIVATION_V1 = struct("jwt.v1ActivationClaims").embed(CLAIMS_DATA)
            .embed(V1_DELETED)
            .field("nats", struct("jwt.v1NatsActivation")
                    .field("subject", STRING).field("type", EXPORT_TYPE)
                    .field("max", INT64).field("payload", INT64).field("src", STRING)
                    .field("times", list(TIME_RANGE)));

    private static boolean contains(ArrayNode a, String s) {
        for (JsonNode e : a) {
            if (e.asText().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
