package io.natsjvm.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Seeded mutations of a valid claims document, by class: a field's JSON type, a missing field, a
 * value at or past a range edge, nesting, the token's encoding and its signature. Each mutation is
 * signed with the real signer unless it is a signature mutation, so the decoder (not the signature
 * check) is what is being compared.
 */
final class JwtMutator {
    enum Kind { TYPE, MISSING, RANGE, NESTING, ENCODING, SIGNATURE }

    record Mutation(Kind kind, String description, String token) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";

    private final Random random;
    private final List<String> paths;

    /** @param paths the claim paths worth mutating, dotted, e.g. {@code nats.pub.allow} */
    JwtMutator(long seed, List<String> paths) {
        this.random = new Random(seed);
        this.paths = paths;
    }

    Mutation next(ObjectNode base, NKeyPair signer) {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        ObjectNode c = base.deepCopy();
        String path = paths.get(random.nextInt(paths.size()));
        return switch (kind) {
            case TYPE -> {
                JsonNode v = pick(List.of(NODES.textNode("foo"), NODES.numberNode(1.5), num("1e20"),
                        NODES.numberNode(99), NODES.numberNode(-1), NODES.numberNode(0), NODES.booleanNode(true),
                        NODES.nullNode(), NODES.arrayNode(), NODES.objectNode(), NODES.arrayNode().add("x"),
                        NODES.arrayNode().add(NODES.objectNode()), NODES.textNode("a,b"), NODES.textNode(""),
                        NODES.numberNode(new BigInteger("18446744073709551616"))));
                set(c, path, v);
                yield signed(Kind.TYPE, path + " = " + v, c, signer);
            }
            case MISSING -> {
                remove(c, path);
                yield signed(Kind.MISSING, "without " + path, c, signer);
            }
            case RANGE -> {
                long now = System.currentTimeMillis() / 1000;
                JsonNode v = pick(List.of(NODES.numberNode(-2), NODES.numberNode(-1), NODES.numberNode(0),
                        NODES.numberNode(1), NODES.numberNode(2147483648L), NODES.numberNode(4294967296L),
                        NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(now - 3600), NODES.numberNode(now + 3600),
                        NODES.numberNode(256), NODES.textNode("99:00:00"), NODES.textNode("9:00:00"),
                        NODES.textNode("10.0.0.1"), NODES.textNode("10.0.0.0/33"), NODES.textNode("Mars/Olympus"),
                        NODES.textNode("UTC"), NODES.textNode("foo bar"), NODES.textNode("foo bar baz")));
                set(c, path, v);
                yield signed(Kind.RANGE, path + " = " + v, c, signer);
            }
            case NESTING -> {
                JsonNode old = get(c, path);
                JsonNode v = random.nextBoolean() ? NODES.arrayNode().add(old == null ? NODES.nullNode() : old)
                        : NODES.objectNode().set("allow", old == null ? NODES.nullNode() : old);
                set(c, path, v);
                yield signed(Kind.NESTING, path + " nested = " + v, c, signer);
            }
            case ENCODING -> encoding(c, signer);
            case SIGNATURE -> signature(c, signer);
        };
    }

    private Mutation encoding(ObjectNode c, NKeyPair signer) {
        Jwts.sign(c, signer); // sets iss, iat, jti as a real token has them
        String body = c.toString();
        String header = HEADER;
        String what;
        switch (random.nextInt(9)) {
            case 0 -> {
                body = body + " x";
                what = "text after the claims JSON";
            }
            case 1 -> {
                body = body + "{}";
                what = "a second JSON value";
            }
            case 2 -> {
                header = "{\"typ\":\"jwt\",\"alg\":\"ED25519-NKEY\"}";
                what = "header in other case";
            }
            case 3 -> {
                header = "{\"typ\":\"JWT\",\"alg\":\"HS256\"}";
                what = "another algorithm";
            }
            case 4 -> {
                body = body.replace("\"nats\"", "\"NATS\"").replace("\"pub\"", "\"Pub\"");
                what = "keys in other case";
            }
            case 5 -> {
                body = "  " + body + "\n";
                what = "whitespace around the JSON";
            }
            case 6 -> {
                header = "{\"typ\":1,\"alg\":\"ed25519-nkey\"}";
                what = "header typ a number";
            }
            case 7 -> {
                body = body.replace("\"type\":\"", "\"type\":\"x");
                what = "unknown claim type";
            }
            default -> {
                body = "[" + body + "]";
                what = "claims in an array";
            }
        }
        return new Mutation(Kind.ENCODING, what, sign(header, body, signer));
    }

    private Mutation signature(ObjectNode c, NKeyPair signer) {
        String good = Jwts.sign(c, signer);
        String[] p = good.split("\\.");
        String what;
        String token;
        switch (random.nextInt(6)) {
            case 0 -> {
                token = Jwts.sign(c, NKeyPair.create(NKeys.PREFIX_ACCOUNT));
                what = "signed by an unknown account";
            }
            case 1 -> {
                token = p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() - 4);
                what = "truncated signature";
            }
            case 2 -> {
                char[] s = p[2].toCharArray();
                s[5] = s[5] == 'A' ? 'B' : 'A';
                token = p[0] + "." + p[1] + "." + new String(s);
                what = "flipped signature";
            }
            case 3 -> {
                token = p[0] + "." + p[1] + ".";
                what = "empty signature";
            }
            case 4 -> {
                token = p[0] + "." + p[1] + "=." + p[2];
                what = "padded claims";
            }
            default -> {
                token = p[0] + "." + p[1];
                what = "two parts";
            }
        }
        return new Mutation(Kind.SIGNATURE, what, token);
    }

    /** Signs mutated claims: iss and jti as a real signer sets them, the mutation kept. */
    private Mutation signed(Kind kind, String what, ObjectNode c, NKeyPair signer) {
        c.put("iss", signer.publicKey());
        if (!c.has("iat")) {
            c.put("iat", System.currentTimeMillis() / 1000);
        }
        return new Mutation(kind, what, sign(HEADER, c.toString(), signer));
    }

    static String sign(String header, String body, NKeyPair signer) {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(body.getBytes(StandardCharsets.UTF_8));
        return input + "." + B64.encodeToString(signer.sign(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private JsonNode pick(List<JsonNode> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static JsonNode num(String literal) {
        try {
            return JSON.readTree(literal);
        } catch (Exception e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static JsonNode get(JsonNode root, String path) {
        JsonNode n = root;
        for (String p : path.split("\\.")) {
            n = step(n, p);
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    private static JsonNode step(JsonNode n, String p) {
        if (p.matches("\\d+")) {
            return n.isArray() && n.size() > Integer.parseInt(p) ? n.get(Integer.parseInt(p)) : null;
        }
        return n.isObject() ? n.get(p) : null;
    }

    /** Sets a value, creating objects (and arrays for numeric steps) along the way. */
    private static void set(ObjectNode root, String path, JsonNode v) {
        String[] parts = path.split("\\.");
        JsonNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = step(n, parts[i]);
            if (next == null || next.isValueNode()) {
                next = parts[i + 1].matches("\\d+") ? NODES.arrayNode() : NODES.objectNode();
                put(n, parts[i], next);
            }
            n = next;
        }
        put(n, parts[parts.length - 1], v);
    }

    private static void put(JsonNode parent, String key, JsonNode v) {
        if (parent instanceof ObjectNode o) {
            o.set(key, v);
        } else if (parent instanceof ArrayNode a) {
            int i = Integer.parseInt(key);
            while (a.size() <= i) {
                a.addNull();
            }
            a.set(i, v);
        }
    }

    private static void remove(ObjectNode root, String path) {
        int dot = path.lastIndexOf('.');
        JsonNode parent = dot < 0 ? root : get(root, path.substring(0, dot));
        if (parent instanceof ObjectNode o) {
            o.remove(path.substring(dot + 1));
        } else if (parent instanceof ArrayNode a && path.substring(dot + 1).matches("\\d+")) {
            int i = Integer.parseInt(path.substring(dot + 1));
            if (i < a.size()) {
                a.remove(i);
            }
        }
    }
}
