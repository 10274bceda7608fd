package io.natsjvm.server.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;

import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: a measurement (run by hand, see README). 1,000 accounts preloaded in the MEMORY
 * resolver, one live connection in each, three in the target account; then a CLAIMS.UPDATE that
 * lowers the target's connection limit to 1, timed from the publish until both excess
 * connections have been closed. Repeats and prints the median.
 */
public final class ClaimsUpdateLatency {
    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        JwtFixture f = new JwtFixture(n -> { });
        List<NKeyPair> keys = new ArrayList<>();
        StringBuilder preload = new StringBuilder();
        for (int i = 0; i < accounts; i++) {
            NKeyPair a = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            keys.add(a);
            preload.append("  ").append(a.publicKey()).append(": ")
                    .append(Jwts.sign(JwtFixture.claims(a.publicKey(), "account", "A" + i), f.operatorSigner)).append('\n');
        }
        String config = f.config().replace("resolver_preload: {\n", "resolver_preload: {\n" + preload);
        List<Long> samples = new ArrayList<>();
        try (TestServer s = TestServer.fromConfig(config)) {
            List<RawClient> idle = new ArrayList<>();
            for (NKeyPair a : keys) {
                NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
                idle.add(JwtFixture.rawLogin(s, JwtFixture.user(u, a, "u", c -> { }), u, true));
            }
            NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient sys = JwtFixture.rawLogin(s, JwtFixture.user(admin, f.sys, "admin", c -> { }), admin, true);
            for (int round = 0; round < 7; round++) {
                NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
                String jwt = JwtFixture.user(u, f.app, "u", c -> { });
                f.appJwt = f.account(n -> n.with("limits").put("conn", -1));
                push(sys, f);
                RawClient a = JwtFixture.rawLogin(s, jwt, u, true);
                RawClient b = JwtFixture.rawLogin(s, jwt, u, true);
                RawClient c = JwtFixture.rawLogin(s, jwt, u, true);
                Thread.sleep(1100); // the next JWT must carry a later iat (seconds)
                ObjectNode claims = JwtFixture.claims(f.app.publicKey(), "account", "APP");
                claims.with("nats").with("limits").put("conn", 1);
                String lowered = Jwts.sign(claims, f.operatorSigner);
                long start = System.nanoTime();
                sys.send("PUB $SYS.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE " + lowered.length() + "\r\n"
                        + lowered + "\r\n");
                a.expect("-ERR 'maximum account active connections exceeded'");
                b.expect("-ERR 'maximum account active connections exceeded'");
                a.expectClosed();
                b.expectClosed();
                long micros = (System.nanoTime() - start) / 1000;
                samples.add(micros);
                c.close();
                Thread.sleep(1100);
            }
            for (RawClient r : idle) {
                r.close();
            }
        }
        samples.sort(null);
        System.out.println("RESULT claims_update accounts=" + accounts + " samples_us=" + samples + " median_us="
                + samples.get(samples.size() / 2));
    }

    private static void push(RawClient sys, JwtFixture f) throws Exception {
        sys.send("PUB $SYS.ACCOUNT." + f.app.publicKey() + ".CLAIMS.UPDATE " + f.appJwt.length() + "\r\n" + f.appJwt
                + "\r\nPING\r\n");
        sys.expect("PONG");
        Thread.sleep(1100);
    }
}
