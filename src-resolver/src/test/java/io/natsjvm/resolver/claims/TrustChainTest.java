package io.natsjvm.resolver.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.NKey;
import io.nats.jwt.JwtUtils;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator → account → user chain, with JWTs from Go (captures), jwt-java and our signer. */
class TrustChainTest {
    static final long NOW = System.currentTimeMillis() / 1000;

    static String capturedJwt(String file) throws Exception {
        try (InputStream in = TrustChainTest.class.getResourceAsStream("/" + file)) {
            JsonNode ev = new ObjectMapper().readTree(in);
            return ev.at("/client/jwt").asText();
        }
    }

    static ObjectNode claims(String sub, String type) {
        return Jwts.claims(sub, type + "-test", type);
    }

    static AccountClaims accountOnly(String key, List<String> signingKeys, Map<String, Long> revocations) {
        return new AccountClaims("", key, "acc", "O", 0, 0, AccountLimits.UNLIMITED, signingKeys, revocations);
    }

    @Test
    void goSignedUserJwtFromTheReferenceVerifies() throws Exception {
        DecodedJwt jwt = Jwts.decode(capturedJwt("client_connect_jwt.json"));
        UserClaims u = Claims.user(jwt);
        assertEquals("UBIVQMN7XT4LZXUHVIZ2MPYUNU4NDGXAWH5NVEYX56TY2K5LJEV3CFLP", u.subject());
        assertEquals("AC5VHHOXHUZTRAXCJNRLQBUXTKIO7MZ4NPVPQGCTYURMJEJ6LA26IDTV", u.account());
        assertEquals(-1, u.limits().subs());
        TrustChain.user(u, jwt, accountOnly(u.account(), List.of(), Map.of()), NOW);
    }

    @Test
    void unknownSigningKeyIsRejectedLikeTheReference() throws Exception {
        DecodedJwt jwt = Jwts.decode(capturedJwt("auth_error_jwt.json"));
        UserClaims u = Claims.user(jwt); // its own signature is fine
        assertEquals("AC5VHHOXHUZTRAXCJNRLQBUXTKIO7MZ4NPVPQGCTYURMJEJ6LA26IDTV", u.issuerAccount());
        JwtException e = assertThrows(JwtException.class,
                () -> TrustChain.user(u, jwt, accountOnly(u.issuerAccount(), List.of(), Map.of()), NOW));
        assertTrue(e.getMessage().contains("not the account or one of its signing keys"), e.getMessage());
    }

    @Test
    void jwtJavaIssuedUsersAreAccepted() throws Exception {
        NKey account = NKey.createAccount(null);
        NKey user = NKey.createUser(null);
        String accountKey = new String(account.getPublicKey());
        String token = JwtUtils.issueUserJWT(account, accountKey, new String(user.getPublicKey()), "jwt-java-user");
        DecodedJwt jwt = Jwts.decode(token);
        UserClaims u = Claims.user(jwt);
        assertEquals(new String(user.getPublicKey()), u.subject());
        TrustChain.user(u, jwt, accountOnly(accountKey, List.of(), Map.of()), NOW);

        // Signed with an account signing key: issuer_account names the account.
        NKey signingKey = NKey.createAccount(null);
        String viaSigner = JwtUtils.issueUserJWT(signingKey, accountKey, new String(user.getPublicKey()), "scoped");
        DecodedJwt sj = Jwts.decode(viaSigner);
        UserClaims su = Claims.user(sj);
        assertEquals(accountKey, su.account());
        TrustChain.user(su, sj, accountOnly(accountKey, List.of(new String(signingKey.getPublicKey())), Map.of()), NOW);
        assertThrows(JwtException.class, () -> TrustChain.user(su, sj, accountOnly(accountKey, List.of(), Map.of()), NOW));
    }

    @Test
    void seedsAgreeWithNkeysJava() throws Exception {
        NKey theirs = NKey.createUser(null);
        NKeyPair ours = NKeyPair.fromSeed(new String(theirs.getSeed()));
        assertEquals(new String(theirs.getPublicKey()), ours.publicKey());
        assertEquals(new String(theirs.getSeed()), ours.encodedSeed());
        byte[] nonce = "abcdef".getBytes();
        assertTrue(NKeys.verify(ours.publicKey(), NKeys.PREFIX_USER, nonce, theirs.sign(nonce)));
        assertTrue(NKey.fromPublicKey(ours.publicKey().toCharArray()).verify(nonce, ours.sign(nonce)));
    }

    @Test
    void fullChainAndEveryRejection() throws Exception {
        NKeyPair operator = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        NKeyPair opSigner = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        ObjectNode oc = claims(operator.publicKey(), "operator");
        oc.with("nats").putArray("signing_keys").add(opSigner.publicKey());
        OperatorClaims op = Claims.operator(Jwts.decode(Jwts.sign(oc, operator)));
        TrustChain trust = new TrustChain(List.of(op), List.of());

        NKeyPair account = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
        NKeyPair user = NKeyPair.create(NKeys.PREFIX_USER);
        ObjectNode ac = claims(account.publicKey(), "account");
        ac.with("nats").with("limits").put("conn", 3).put("subs", 10);
        AccountClaims acc = trust.account(Jwts.sign(ac, opSigner), account.publicKey(), NOW);
        assertEquals(3, acc.limits().conn());
        assertEquals(-1, acc.limits().payload());

        ObjectNode uc = claims(user.publicKey(), "user");
        uc.with("nats").putObject("pub").putArray("allow").add("foo.>");
        DecodedJwt uj = Jwts.decode(Jwts.sign(uc, account));
        UserClaims u = TrustChain.user(Claims.user(uj), uj, acc, NOW);
        assertEquals(List.of("foo.>"), u.limits().pub().allow());
        assertNull(u.limits().resp());

        // Untrusted operator.
        NKeyPair rogue = NKeyPair.create(NKeys.PREFIX_OPERATOR);
        assertReason("not a trusted operator key", () -> trust.account(Jwts.sign(claims(account.publicKey(), "account"), rogue),
                account.publicKey(), NOW));
        // Wrong subject.
        String other = NKeyPair.create(NKeys.PREFIX_ACCOUNT).publicKey();
        assertReason("not " + other, () -> trust.account(Jwts.sign(claims(account.publicKey(), "account"), operator),
                other, NOW));
        // Tampered signature.
        String good = Jwts.sign(claims(user.publicKey(), "user"), account);
        String bad = good.substring(0, good.length() - 4) + (good.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertReason("signature verification failed", () -> Claims.user(Jwts.decode(bad)));
        // Expired and not yet valid.
        ObjectNode exp = claims(user.publicKey(), "user");
        exp.put("exp", NOW - 10);
        DecodedJwt ej = Jwts.decode(Jwts.sign(exp, account));
        assertReason("expired", () -> TrustChain.user(Claims.user(ej), ej, acc, NOW));
        ObjectNode nbf = claims(user.publicKey(), "user");
        nbf.put("nbf", NOW + 3600);
        DecodedJwt nj = Jwts.decode(Jwts.sign(nbf, account));
        assertReason("not yet valid", () -> TrustChain.user(Claims.user(nj), nj, acc, NOW));
        // Revoked.
        AccountClaims revoking = accountOnly(account.publicKey(), List.of(), Map.of(user.publicKey(), NOW + 1));
        assertReason("revoked", () -> TrustChain.user(u, uj, revoking, NOW));
        // Wrong type, garbage.
        assertReason("not a user JWT", () -> Claims.user(Jwts.decode(Jwts.sign(claims(account.publicKey(), "account"), operator))));
        assertReason("not a JWT", () -> Jwts.decode("abc.def"));
        assertReason("malformed JWT", () -> Jwts.decode("###.###.###"));
    }

    interface Check {
        void run() throws Exception;
    }

    static void assertReason(String expected, Check c) {
        JwtException e = assertThrows(JwtException.class, c::run);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
