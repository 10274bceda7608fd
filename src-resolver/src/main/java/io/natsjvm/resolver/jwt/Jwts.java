package io.natsjvm.resolver.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.nkey.NKeyPair;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;

/** Decoding and signing of NATS JWTs (v2: header {"typ":"JWT","alg":"ed25519-nkey"}, base64url). */
public final class Jwts {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}";
    private static final Base64.Decoder URL = Base64.getUrlDecoder();
    private static final Base64.Encoder URL_OUT = Base64.getUrlEncoder().withoutPadding();

    private Jwts() {
    }

    /** A claims skeleton to fill and {@link #sign}: subject, name and a v2 {@code nats} block of the type. */
    public static ObjectNode claims(String subject, String name, String type) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", name);
        c.put("sub", subject);
        ObjectNode nats = c.putObject("nats");
        nats.put("type", type);
        nats.put("version", 2);
        return c;
    }

    /** Splits and parses a token; the signature is not checked yet (the caller knows the signer). */
    public static DecodedJwt decode(String token) throws JwtException {
        if (token == null || token.isBlank()) {
            throw new JwtException("no JWT");
        }
        token = token.trim();
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new JwtException("not a JWT (expected 3 parts, got " + parts.length + ")");
        }
        JsonNode header;
        JsonNode claims;
        byte[] sig;
        try {
            header = JSON.readTree(URL.decode(parts[0]));
            claims = JSON.readTree(URL.decode(parts[1]));
            sig = URL.decode(parts[2]);
        } catch (Exception e) {
            throw new JwtException("malformed JWT: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
            throw new JwtException("malformed JWT: header and claims must be JSON objects");
        }
        String typ = header.path("typ").asText("");
        String alg = header.path("alg").asText("");
        if (!typ.toUpperCase(Locale.ROOT).equals("JWT")) {
            throw new JwtException("not a JWT (typ \"" + typ + "\")");
        }
        if (!alg.equals("ed25519-nkey") && !alg.equals("ed25519")) {
            throw new JwtException("unsupported algorithm \"" + alg + "\"");
        }
        if (alg.equals("ed25519")) {
            throw new JwtException("v1 JWTs (alg ed25519) are not supported; reissue with a v2 tool");
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        return new DecodedJwt(token, claims, signingInput, sig);
    }

    /**
     * Signs claims: sets {@code iss} (the signer), {@code iat} if absent and {@code jti} (a hash
     * of the claims, as the Go library computes it), then encodes.
     */
    public static String sign(ObjectNode claims, NKeyPair signer) {
        try {
            claims.put("iss", signer.publicKey());
            if (!claims.has("iat")) {
                claims.put("iat", System.currentTimeMillis() / 1000);
            }
            claims.remove("jti");
            byte[] hash = MessageDigest.getInstance("SHA-512/256").digest(JSON.writeValueAsBytes(claims));
            ObjectNode ordered = JSON.createObjectNode();
            ordered.put("jti", io.natsjvm.resolver.nkey.NKeys.base32(hash));
            ordered.setAll(claims);
            String input = URL_OUT.encodeToString(HEADER.getBytes(StandardCharsets.US_ASCII)) + "."
                    + URL_OUT.encodeToString(JSON.writeValueAsBytes(ordered));
            byte[] sig = signer.sign(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + URL_OUT.encodeToString(sig);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign claims", e);
        }
    }
}
