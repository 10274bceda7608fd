package io.natsjvm.server.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.natsjvm.resolver.claims.Claims;
import io.natsjvm.resolver.jwt.DecodedJwt;
import io.natsjvm.resolver.jwt.JwtException;
import io.natsjvm.resolver.jwt.Jwts;

import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing (Jazzer) of the JWT and claims decoder: it may refuse its input only with its own checked
 * exception; anything else that escapes is a finding. {@code mvn test} replays the checked-in
 * corpus (src/test/resources/io/natsjvm/server/fuzz/&lt;Class&gt;Inputs) and fuzzes for a few seconds;
 * {@code scripts/fuzz} runs longer. Fuzz classes end in "Fuzzing" so only the fuzzing run picks them up.
 */
class ClaimsFuzzing {
    @FuzzTest(maxDuration = "15s")
    void claims(byte[] input) {
        String token = input == null ? null : new String(input, StandardCharsets.UTF_8);
        if (token == null) {
            return; // Jazzer's null seed: the server never passes null
        }
        try {
            DecodedJwt jwt = Jwts.decode(token);
            switch (String.valueOf(jwt.type())) {
                case "user" -> Claims.user(jwt);
                case "account" -> Claims.account(jwt);
                case "operator" -> Claims.operator(jwt);
                default -> jwt.nats();
            }
        } catch (JwtException refused) {
            // refused with a reason
        }
    }
}
