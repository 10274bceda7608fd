package io.natsjvm.server.auth;

import com.sun.net.httpserver.HttpServer;
import io.natsjvm.resolver.nkey.NKeyPair;
import io.natsjvm.resolver.nkey.NKeys;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** resolver: URL(...) against an account server; the lookup never blocks other clients. */
class UrlResolverTest {
    @Test
    void accountsAreFetchedOffTheEventLoopAndCached() throws Exception {
        JwtFixture f = new JwtFixture(n -> { });
        Map<String, String> jwts = Map.of(f.app.publicKey(), f.appJwt, f.sys.publicKey(), f.sysJwt);
        AtomicInteger requests = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/jwt/v1/accounts/", ex -> {
            requests.incrementAndGet();
            String key = ex.getRequestURI().getPath().substring("/jwt/v1/accounts/".length());
            if (key.equals(f.app.publicKey())) {
                try {
                    release.await(5, TimeUnit.SECONDS); // a slow account server
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String jwt = key.isEmpty() ? "" : jwts.get(key); // the base URL answers (checked at start-up)
            byte[] body = (jwt == null ? "not found" : jwt).getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(jwt == null ? 404 : 200, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.start();
        String config = "operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: URL(http://127.0.0.1:" + http.getAddress().getPort() + "/jwt/v1/accounts/)\n";
        try (TestServer s = TestServer.fromConfig(config)) {
            NKeyPair admin = NKeyPair.create(NKeys.PREFIX_USER);
            RawClient sys = JwtFixture.rawLogin(s, JwtFixture.user(admin, f.sys, "admin", c -> { }), admin, true);
            NKeyPair u = NKeyPair.create(NKeys.PREFIX_USER);
            String jwt = JwtFixture.user(u, f.app, "u", c -> { });
            // CONNECT and PING in one write: the PONG must wait for the (slow) account fetch.
            RawClient waiting = JwtFixture.rawLogin(s, jwt, u, false);
            waiting.send("PING\r\n");
            // Meanwhile another client on the same event loop is served at once.
            sys.send("PING\r\n").expect("PONG");
            release.countDown();
            waiting.expect("PONG");
            int fetched = requests.get();
            JwtFixture.rawLogin(s, jwt, u, true).close(); // cached: no new request
            assertEquals(fetched, requests.get());
            NKeyPair unknown = NKeyPair.create(NKeys.PREFIX_ACCOUNT);
            try (RawClient refused = JwtFixture.rawLogin(s, JwtFixture.user(u, unknown, "x", c -> { }), u, false)) {
                refused.expect("-ERR 'Authorization Violation'");
            }
            assertTrue(requests.get() > fetched);
            waiting.close();
            sys.close();
        } finally {
            http.stop(0);
        }
    }
}
