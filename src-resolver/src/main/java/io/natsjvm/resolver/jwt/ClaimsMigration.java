package io.natsjvm.resolver.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Decodes claims through the schema of their kind and version and brings v1 tokens into the v2
 * shape (type, tags and issuer_account inside {@code nats}, version 1), following the Go jwt
 * library's migration: a v1 user starts with no subs/data/payload limit, a v1 account with none set.
 */
final class ClaimsMigration {
    private ClaimsMigration() {
    }

    static JsonNode decode(JsonNode raw, String kind, int version) throws JwtException {
        GoType.Struct schema = switch (kind) {
            case "user" -> version == 1 ? ClaimSchemas.USER_V1 : ClaimSchemas.USER_V2;
            case "account" -> version == 1 ? ClaimSchemas.ACCOUNT_V1 : ClaimSchemas.ACCOUNT_V2;
            case "operator" -> version == 1 ? ClaimSchemas.OPERATOR_V1 : ClaimSchemas.OPERATOR_V2;
            case "activation" -> version == 1 ? ClaimSchemas.ACTIVATION_V1 : ClaimSchemas.ACTIVATION_V2;
            case "cluster", "server" -> throw new JwtException(kind + " claims are not supported");
            default -> ClaimSchemas.GENERIC;
        };
        boolean typed = schema != ClaimSchemas.GENERIC;
        if (typed && version != 1 && version != 2) {
            throw new JwtException("library supports version 2 or less - received " + version);
        }
        JsonNode decoded = schema.decode(raw, "");
        ObjectNode claims = decoded == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) decoded;
        if (!typed || version == 2) {
            return claims;
        }
        return fromV1(claims, kind);
    }

    private static ObjectNode fromV1(ObjectNode v1, String kind) {
        ObjectNode nats = v1.path("nats").isObject() ? ((ObjectNode) v1.get("nats")).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        switch (kind) {
            case "user" -> {
                nats.remove("max");
                for (String limit : new String[] {"subs", "data", "payload"}) {
                    if (!nats.has(limit)) {
                        nats.put(limit, -1);
                    }
                }
                copy(v1, "issuer_account", nats, "issuer_account");
            }
            case "activation" -> {
                JsonNode type = nats.remove("type");
                if (type != null) {
                    nats.set("kind", type);
                }
                copy(v1, "issuer_account", nats, "issuer_account");
            }
            default -> {
            }
        }
        copy(v1, "type", nats, "type");
        copy(v1, "tags", nats, "tags");
        nats.put("version", 1);
        ObjectNode out = v1.deepCopy();
        out.remove("type");
        out.remove("tags");
        out.remove("issuer_account");
        out.set("nats", nats);
        return out;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v != null) {
            to.set(as, v);
        }
    }
}
