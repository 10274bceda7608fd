package io.natsjvm.server.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsjvm.resolver.jwt.Jwts;
import io.natsjvm.server.util.JwtFixture;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Start-up against nats-server 2.9.10 on the same configuration files: the same refusals, word for
 * word (the system account in operator mode, the account server, max_payload), and the same
 * notices and warnings in the same order when it starts.
 */
class StartupParityTest {
    /** A log line's level and text: {@code [pid] date time [INF] text}. */
    private static final Pattern LOG_LINE = Pattern.compile("(\\[(?:INF|WRN|ERR|FTL|DBG|TRC)\\] .*)$");
    private final JwtFixture f = new JwtFixture(n -> { });
    private final JwtFixture foreign = new JwtFixture(n -> { });

    @Test
    void memoryResolverNeedsTheSystemAccountPreloaded() throws Exception {
        refusedAsTheReference("operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: MEMORY\n", "nats-server: error resolving system account: account missing");
    }

    @Test
    void systemAccountSignedByAnotherOperatorIsRefused() throws Exception {
        refusedAsTheReference("operator: " + operator(f, null) + "\nsystem_account: " + foreign.sys.publicKey()
                        + "\nresolver: MEMORY\nresolver_preload: {\n  " + foreign.sys.publicKey() + ": "
                        + foreign.sysJwt + "\n}\n",
                "nats-server: error resolving system account: account validation failed");
    }

    @Test
    void operatorModeConflictsAreRefused() throws Exception {
        String preload = "\nresolver: MEMORY\nresolver_preload: {\n  " + f.sys.publicKey() + ": " + f.sysJwt + "\n}\n";
        refusedAsTheReference("operator: " + f.operatorJwt + "\nsystem_account: " + foreign.sys.publicKey() + preload,
                "nats-server: system_account in config and operator JWT must be identical");
        refusedAsTheReference("operator: " + f.operatorJwt + preload + "accounts: { A: {} }\n",
                "nats-server: operators do not allow Accounts to be configured directly");
        refusedAsTheReference("operator: " + operator(f, null) + "\nresolver: {type: full, dir: \"$DIR/jwt\"}\n",
                "nats-server: using nats based account resolver - the system account needs to be specified in"
                        + " configuration or the operator jwt");
        ObjectNode newer = JwtFixture.claims(f.operator.publicKey(), "operator", "NEWER");
        newer.with("nats").put("assert_server_version", "2.10.0");
        refusedAsTheReference("operator: " + Jwts.sign(newer, f.operator) + preload,
                "nats-server: operator " + f.operator.publicKey() + " expected minor version 10 > server minor version 9");
        newer.with("nats").put("assert_server_version", "2.x.0");
        refusedAsTheReference("operator: " + Jwts.sign(newer, f.operator) + preload,
                "nats-server: operator " + f.operator.publicKey() + " expects version 2.x.0 got error instead:"
                        + " asserted server version cant parse x to int");
    }

    @Test
    void accountServerThatIsNotThereIsRefused() throws Exception {
        int closed = Sockets.freePort();
        String url = "http://127.0.0.1:" + closed + "/jwt/v1/accounts/";
        refusedAsTheReference("operator: " + f.operatorJwt + "\nresolver: URL(\"" + url + "\")\n",
                "nats-server: could not fetch <\"" + url + "\">: Get \"" + url + "\": dial tcp 127.0.0.1:" + closed
                        + ": connect: connection refused");
    }

    @Test
    void operatorWithoutResolverUsesItsAccountServer() throws Exception {
        // the fixture's operator names no account server: the reference tries "/accounts"
        refusedAsTheReference("operator: " + f.operatorJwt + "\n",
                "nats-server: could not fetch <\"/accounts/\">: Get \"/accounts/\": unsupported protocol scheme \"\"");
    }

    @Test
    void preloadsNeedAWritableResolver() throws Exception {
        refusedAsTheReference("operator: " + f.operatorJwt + "\nresolver: URL(http://127.0.0.1:1/jwt/)\n"
                        + "resolver_preload: {\n  " + f.sys.publicKey() + ": " + f.sysJwt + "\n}\n",
                "nats-server: resolver preloads only available for writeable resolver types MEM/DIR/CACHE_DIR");
    }

    @Test
    void maxPayloadAboveMaxPendingIsRefused() throws Exception {
        refusedAsTheReference("max_payload: 70MB\n",
                "nats-server: max_payload (73400320) cannot be higher than max_pending (67108864)");
    }

    @Test
    void configurationRefusalsAsTheReference() throws Exception {
        refusedAsTheReference("foo: 1\n", "nats-server: %CONF%:1:0: unknown field \"foo\"");
        refusedAsTheReference("port: 4222\n\n  bar = 5\n", "nats-server: %CONF%:3:3: unknown field \"bar\"");
        refusedAsTheReference("cluster { foo: 1 }\n", "nats-server: %CONF%:1:10: unknown field \"foo\"");
        refusedAsTheReference("authorization {\n  user: a\n  password: b\n  foo: 1\n}\n",
                "nats-server: %CONF%:4:3: unknown field \"foo\"");
        refusedAsTheReference("leafnodes { listen: \"127.0.0.1:-1\", foo: 1 }\n",
                "nats-server: %CONF%:1:36: unknown field \"foo\"");
        refusedAsTheReference("websocket { port: -1, no_tls: true, foo: 1 }\n",
                "nats-server: %CONF%:1:36: unknown field \"foo\"");
        refusedAsTheReference("authorization { users: [ {user: a, password: b}, {user: a, password: c} ] }\n",
                "nats-server: %CONF%:1:0: Duplicate user \"a\" detected");
        refusedAsTheReference("authorization { token: abc, user: a, password: b }\n",
                "nats-server: %CONF%:1:0: Cannot have a user/pass and token");
        refusedAsTheReference("accounts { A: { exports: [ {stream: \"foo.*\"} ] }, B: { imports: [ {stream: "
                + "{account: C, subject: \"foo.*\"}} ] } }\n",
                "nats-server: %CONF%:1:0: \"C\" account not defined for stream import");
        refusedAsTheReference("leafnodes { listen: \"127.0.0.1:-1\", authorization { user: a, password: b, account: "
                + "NOPE } }\n", "nats-server: cannot find local account \"NOPE\" specified in leafnode authorization");
        refusedAsTheReference("leafnodes { remotes: [ { url: \"nats://127.0.0.1:1\", account: NOPE } ] }\n",
                "nats-server: cannot find local account \"NOPE\" specified in leafnode remote");
        refusedAsTheReference("leafnodes { remotes: [ { urls: [ \"ws://u:secret@127.0.0.1:1\", \"nats://127.0.0.1:2\" ] } ] }\n",
                "nats-server: remote leaf node configuration cannot have a mix of websocket and non-websocket urls:"
                        + " [\"ws://u:xxxxx@127.0.0.1:1\" \"nats://127.0.0.1:2\"]");
        refusedAsTheReference("mappings {\n  \"foo.*\": \"bar\"\n}\n", "nats-server: %CONF%:2:4: Error adding mapping"
                + " for \"foo.*\" to \"bar\" : invalid mapping destination: not using all of the token wildcard(s) in bar");
        refusedAsTheReference("accounts { A { mappings { \"x.*\": \"y.{{nope(1)}}\" } } }\n", "nats-server: %CONF%:1:27:"
                + " Error adding mapping for \"x.*\" to \"y.{{nope(1)}}\" : invalid mapping destination: unknown function"
                + " in {{nope(1)}}");
        refusedAsTheReference("accounts {\n  A { limits { max_conn: 1, foo: 2 } }\n}\n",
                "nats-server: %CONF%:2:29: Unknown field \"foo\" parsing account limits");
        refusedAsTheReference("accounts {\n  A { users = [ {user: a, password: a} ], foo: 1 }\n}\n",
                "nats-server: %CONF%:2:43: unknown field \"foo\"");
        refusedAsTheReference("accounts {\n  A { nkey: \"bad\" }\n}\n",
                "nats-server: %CONF%:2:7: Not a valid public nkey for an account: \"bad\"");
        refusedAsTheReference("authorization { users = [ {user: a, password: a, allowed_connection_types: [\"foo\"]} ] }\n",
                "nats-server: %CONF%:1:49: invalid connection types [\"FOO\"]");
        refusedAsTheReference("authorization { users = [ {user: a, password: a, bar: 1} ] }\n",
                "nats-server: %CONF%:1:49: unknown field \"bar\"");
        refusedAsTheReference("accounts {\n  A { exports = [ {stream: \"foo.>\", accounts: [C]} ] }\n"
                + "  B { imports = [ {stream: {account: A, subject: \"foo.>\"}} ] }\n  C { }\n}\n",
                "nats-server: %CONF%:1:0: Error adding stream import \"foo.>\": stream import not authorized");
        refusedAsTheReference("leafnodes { remotes: [ { url: \"nats://127.0.0.1:1\", foo: 1 } ] }\n",
                "nats-server: %CONF%:1:52: unknown field \"foo\"");
        refusedAsTheReference("leafnodes { listen: \"127.0.0.1:-1\", authorization { users = [ {user: a, password: b,"
                + " foo: 1} ] } }\n", "nats-server: %CONF%:1:85: unknown field \"foo\"");
        refusedAsTheReference("leafnodes { listen: \"127.0.0.1:-1\", authorization { user: a, password: b, bar: 1 } }\n",
                "nats-server: %CONF%:1:74: unknown field \"bar\"");
        refusedAsTheReference("cluster { listen: \"127.0.0.1:-1\", authorization { user: a, password: b, foo: 1 } }\n",
                "nats-server: %CONF%:1:72: unknown field \"foo\"");
        refusedAsTheReference("cluster { listen: \"127.0.0.1:-1\", authorization { token: abc } }\n",
                "nats-server: %CONF%:1:34: Cluster authorization does not support tokens");
        refusedAsTheReference("cluster { listen: \"127.0.0.1:-1\", authorization { users: [ {user: a, password: b} ] } }\n",
                "nats-server: %CONF%:1:34: Cluster authorization does not allow multiple users");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"tok.*\", account_token_position: 2} ] }\n"
                + "  C { imports = [ {service: {account: A, subject: \"tok.B\"}} ] }\n}\n",
                "nats-server: %CONF%:1:0: Error adding service import \"tok.B\": service import not authorized");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"tok.x\", account_token_position: 2} ] }\n}\n",
                "nats-server: %CONF%:1:0: Error adding service export \"tok.x\": sublist: invalid subject");
        // nats-server reads an export's keys in a Go map's order: it refuses these two only when the
        // directive comes after "stream" (about half its starts); this server always refuses them
        refusedHere("accounts {\n  A { exports = [ {stream: \"s.>\", threshold: \"1s\"} ] }\n}\n",
                "nats-server: %CONF%:2:35: Detected response directive on non-service");
        refusedHere("accounts {\n  A { exports = [ {stream: \"s.>\", latency: lat} ] }\n}\n",
                "nats-server: %CONF%:2:35: Detected latency directive on non-service");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", threshold: 5} ] }\n}\n",
                "nats-server: %CONF%:2:36: Expected response threshold to be a parseable time duration, got int64");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", threshold: \"abc\"} ] }\n}\n",
                "nats-server: %CONF%:2:36: Expected response threshold to be a parseable time duration, got \"abc\"");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", response: stream, latency: \"lat\"} ] }\n}\n",
                "nats-server: %CONF%:1:0: Error adding service latency sampling for \"s.>\" on subject \"lat\": bad service response type");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: \"s.lat\"} ] }\n}\n",
                "nats-server: %CONF%:1:0: Error adding service latency sampling for \"s.>\" on subject \"s.lat\": invalid publish subject");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: {sampling: 101, subject: lat}} ] }\n}\n",
                "nats-server: %CONF%:2:46: bad sampling percentage, should be 1-100");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: {sampling: \"x%\", subject: lat}} ] }\n}\n",
                "nats-server: %CONF%:2:46: Failed to parse latency sample: strconv.Atoi: parsing \"x\": invalid syntax");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: {sampling: 50}} ] }\n}\n",
                "nats-server: %CONF%:2:36: Latency subject required, but missing");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: 5} ] }\n}\n",
                "nats-server: %CONF%:2:36: Expected latency entry to be a map/struct or string, got int64");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: {sampling: true, subject: lat}} ] }\n}\n",
                "nats-server: %CONF%:2:46: Expected latency sample to be a string or map/struct, got bool");
        refusedAsTheReference("accounts {\n  A { exports = [ {service: \"s.>\", latency: {sampling: 5, subject: 4}} ] }\n}\n",
                "nats-server: %CONF%:2:59: Expected latency subject to be a string, got string");
        refusedAsTheReference("max_sub_tokens: 300\n", "nats-server: %CONF%:1:0: max_sub_tokens value is too big");
        refusedAsTheReference("always_enable_nonce: true\n", "nats-server: %CONF%:1:0: unknown field \"always_enable_nonce\"");
        refusedAsTheReference("system_account: NOPE\n", "nats-server: error resolving system account: account missing");
        refusedAsTheReference("ping_interval: \"abc\"\n",
                "nats-server: %CONF%:1:0: error parsing ping_interval: time: invalid duration \"abc\"");
        refusedAsTheReference("lame_duck_duration: \"5s\"\n",
                "nats-server: %CONF%:1:0: invalid lame_duck_duration of 5s, minimum is 30 seconds");
    }

    @Test
    void plaintextPasswordsAndLargePayloadsAreWarnedAbout() throws Exception {
        sameNotices("authorization { user: a, password: b }\nmax_payload: 10MB\n");
        sameNotices("max_payload: 70MB\nmax_pending: 100MB\nauthorization { users: [ {user: a, password: "
                + "\"$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy\"} ] }\n");
    }

    @Test
    void operatorModeNoticesAsTheReference() throws Exception {
        // the trusted operator, no system account named anywhere
        sameNotices("operator: " + operator(f, null) + "\nresolver: MEMORY\n");
        // a full resolver without the system account's JWT yet: bootstrapping
        sameNotices("operator: " + f.operatorJwt + "\nsystem_account: " + f.sys.publicKey()
                + "\nresolver: {type: full, dir: \"$DIR/jwt\"}\n");
    }

    /** The fixture's operator key in a JWT without signing keys, naming {@code system} (or none). */
    private static String operator(JwtFixture fx, String system) {
        ObjectNode claims = JwtFixture.claims(fx.operator.publicKey(), "operator", "PLAIN");
        if (system != null) {
            claims.with("nats").put("system_account", system);
        }
        return Jwts.sign(claims, fx.operator);
    }

    /** Ours and the reference refuse the configuration with the same first line, exit code 1. */
    private static void refusedAsTheReference(String config, String expected) throws Exception {
        Path conf = refusedHere(config, expected);
        String port = Integer.toString(Sockets.freePort());
        expected = expected.replace("%CONF%", conf.toString());
        String bin = ReferenceServer.binary();
        assumeTrue(bin != null, "nats-server is not installed");
        Process p = new ProcessBuilder(bin, "-c", conf.toString(), "-a", "127.0.0.1", "-p", port)
                .redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("nats-server started instead of refusing: " + config);
        }
        String reference = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.exitValue(), reference);
        assertEquals(expected, reference.lines().findFirst().orElse(""), "the reference's words");
    }

    /** This server refuses the configuration with {@code expected} as its first line, exit code 1. */
    private static Path refusedHere(String config, String expected) throws Exception {
        Path dir = Files.createTempDirectory("startup-parity");
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, config.replace("$DIR", dir.toString()));
        String port = Integer.toString(Sockets.freePort());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Main.run(
                new String[] {"-c", conf.toString(), "-a", "127.0.0.1", "-p", port},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)),
                "our server must refuse to start");
        assertEquals(1, code);
        assertEquals(expected.replace("%CONF%", conf.toString()),
                err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        return conf;
    }

    /** The lines both servers log from their identity up to listening, with paths and ids left out. */
    private static void sameNotices(String config) throws Exception {
        List<String> ours;
        try (ServerProcess p = new ServerProcess(config, Sockets.freePort()).start()) {
            ours = notices(p.log());
        }
        assertFalse(ours.isEmpty(), "notices logged");
        try (ReferenceServer r = ReferenceServer.start(config)) {
            assertEquals(notices(r.log()), ours);
        }
    }

    private static List<String> notices(String log) {
        List<String> lines = new ArrayList<>();
        boolean in = false;
        for (String line : log.lines().toList()) {
            Matcher m = LOG_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            String text = m.group(1);
            if (text.contains("  ID:")) {
                in = true;
                continue;
            }
            if (text.contains("Listening for client connections")) {
                break;
            }
            if (in) {
                lines.add(text.replaceAll("(Using configuration file:|exclusive directory) .*", "$1 <path>"));
            }
        }
        return lines;
    }
}
