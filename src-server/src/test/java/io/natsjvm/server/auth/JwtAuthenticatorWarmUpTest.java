package io.natsjvm.server.auth;

import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.resolver.MemoryResolver;
import io.natsjvm.resolver.claims.TrustChain;
import io.natsjvm.server.protocol.ConnectOptions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The start-up warm-up of JWT logins runs clean and leaves nothing behind that a login could use. */
class JwtAuthenticatorWarmUpTest {

    @Test
    void warmsUpWithoutTrustingAnything() {
        JwtAuthenticator auth = new JwtAuthenticator(new TrustChain(List.of(), List.of()),
                new MemoryResolver(Map.of()), new ClaimsLedger(Clock.systemUTC()));
        assertDoesNotThrow(auth::warmUp, "the built-in warm-up user JWT must decode");
        // the warm-up user's JWT is not a login: its issuer is an account no resolver has
        assertFalse(auth.authenticate(new ConnectOptions(false, false, false, null, null, null, null, null, null, 1,
                true, false, false, null, "c2ln", JwtAuthenticator.WARM_UP_USER, null, false), "nonce").ok());
    }
}
