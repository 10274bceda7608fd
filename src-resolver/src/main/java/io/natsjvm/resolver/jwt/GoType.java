package io.natsjvm.resolver.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Go type of a claim field, decoding JSON the way Go's {@code encoding/json} fills the typed
 * structs of the NATS jwt library: a value of the wrong JSON type, a fraction or an out-of-range
 * number refuses the whole token; {@code null} leaves the zero value; object keys match field names
 * exactly or, failing that, case-insensitively; unknown keys are ignored. {@link #decode} returns
 * the value in canonical form (keys renamed to the field names, unknown keys and nulls dropped), so
 * claim records can be read from it without further type checks.
 */
public abstract class GoType {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Go's name for the type, for error messages. */
    private final String goName;

    private GoType(String goName) {
        this.goName = goName;
    }

    /**
     * @param v    the JSON value, never null or missing ({@link #field} filters those)
     * @param path the claim's path, e.g. {@code nats.pub}, named in the refusal
     * @return the canonical value, or null for Go's zero value
     */
    public abstract JsonNode decode(JsonNode v, String path) throws JwtException;

    protected final JwtException mismatch(JsonNode v, String path) {
        return new JwtException("json: cannot unmarshal " + jsonKind(v) + " into field " + path + " of type " + goName);
    }

    private static String jsonKind(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isNumber()) {
            return "number " + v.asText();
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "array";
        }
        return v.isObject() ? "object" : v.getNodeType().name().toLowerCase();
    }

    public static final GoType STRING = new GoType("string") {
        @Override
        public JsonNode decode(JsonNode v, String path) throws JwtException {
            if (v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw mismatch(v, path);
            }
            return v;
        }
    };

    public static final GoType BOOL = new GoType("bool") {
        @Override
        public JsonNode decode(JsonNode v, String path) throws JwtException {
            if (v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                throw mismatch(v, path);
            }
            return v;
        }
    };

    public static final GoType INT64 = integer("int64", BigInteger.valueOf(Long.MIN_VALUE),
            BigInteger.valueOf(Long.MAX_VALUE));
    public static final GoType UINT8 = integer("uint8", BigInteger.ZERO, BigInteger.valueOf(255));
    /** Go's uint on a 64-bit machine; values above Long.MAX_VALUE are refused (no claim needs them). */
    public static final GoType UINT = integer("uint", BigInteger.ZERO, BigInteger.valueOf(Long.MAX_VALUE));

    /** Any JSON value (Go's {@code interface{}}). */
    public static final GoType ANY = new GoType("interface {}") {
        @Override
        public JsonNode decode(JsonNode v, String path) {
            return v.isNull() ? null : v;
        }
    };

    /**
     * An integer as Go parses it into a sized int: the literal must be integral (no fraction, no
     * exponent) and in range.
     */
    private static GoType integer(String name, BigInteger min, BigInteger max) {
        return new GoType(name) {
            @Override
            public JsonNode decode(JsonNode v, String path) throws JwtException {
                if (v.isNull()) {
                    return null;
                }
                if (!v.isIntegralNumber()) {
                    throw mismatch(v, path);
                }
                BigInteger b = v.bigIntegerValue();
                if (b.compareTo(min) < 0 || b.compareTo(max) > 0) {
                    throw mismatch(v, path);
                }
                return NODES.numberNode(b.longValue());
            }
        };
    }

    /** A Go slice: a JSON array (null elements take the element's zero value). */
    public static GoType list(GoType element) {
        return new GoType("[]" + element.goName) {
            @Override
            public JsonNode decode(JsonNode v, String path) throws JwtException {
                if (v.isNull()) {
                    return null;
                }
                if (!v.isArray()) {
                    throw mismatch(v, path);
                }
                ArrayNode out = NODES.arrayNode();
                int i = 0;
                for (JsonNode e : v) {
                    JsonNode d = element.decode(e, path + "[" + i++ + "]");
                    out.add(d == null ? NODES.nullNode() : d);
                }
                return out;
            }
        };
    }

    /** A Go map with string keys. */
    public static GoType mapOf(GoType value) {
        return new GoType("map[string]" + value.goName) {
            @Override
            public JsonNode decode(JsonNode v, String path) throws JwtException {
                if (v.isNull()) {
                    return null;
                }
                if (!v.isObject()) {
                    throw mismatch(v, path);
                }
                ObjectNode out = NODES.objectNode();
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    JsonNode d = value.decode(e.getValue(), path + "." + e.getKey());
                    out.set(e.getKey(), d == null ? NODES.nullNode() : d);
                }
                return out;
            }
        };
    }

    /** A Go struct (embedded structs flattened into it). */
    public static Struct struct(String goName) {
        return new Struct(goName);
    }

    /** A type with its own UnmarshalJSON in the jwt library. */
    public interface Custom {
        JsonNode decode(JsonNode v, String path) throws JwtException;
    }

    public static GoType custom(String goName, Custom decoder) {
        return new GoType(goName) {
            @Override
            public JsonNode decode(JsonNode v, String path) throws JwtException {
                return decoder.decode(v, path);
            }
        };
    }

    /** A struct's fields by JSON name; built once, then read-only. */
    public static final class Struct extends GoType {
        private final Map<String, GoType> fields = new LinkedHashMap<>();

        private Struct(String goName) {
            super(goName);
        }

        public Struct field(String json, GoType type) {
            fields.put(json, type);
            return this;
        }

        /** All fields of {@code embedded}, as Go flattens an embedded struct's fields. */
        public Struct embed(Struct embedded) {
            fields.putAll(embedded.fields);
            return this;
        }

        @Override
        public JsonNode decode(JsonNode v, String path) throws JwtException {
            if (v.isNull()) {
                return null;
            }
            if (!v.isObject()) {
                throw mismatch(v, path);
            }
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                String name = fieldName(e.getKey());
                if (name == null) {
                    continue;
                }
                String at = path.isEmpty() ? name : path + "." + name;
                JsonNode d = fields.get(name).decode(e.getValue(), at);
                if (d == null) {
                    out.remove(name);
                } else {
                    out.set(name, d);
                }
            }
            return out;
        }

        /** Go's key matching: the exact name, else the first field equal ignoring case. */
        private String fieldName(String key) {
            if (fields.containsKey(key)) {
                return key;
            }
            for (String f : fields.keySet()) {
                if (f.equalsIgnoreCase(key)) {
                    return f;
                }
            }
            return null;
        }
    }
}
