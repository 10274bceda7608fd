package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ServerOptions;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void version() {
        assertEquals(0, run("-v"));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("nats-server: v2.9.10"));
    }

    @Test
    void help() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--http_port"));
    }

    @Test
    void unknownFlagFails() {
        assertEquals(1, run("--bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("flag provided but not defined: -bogus"));
    }

    @Test
    void configSyntaxErrorExitsNonZeroNamingFileLineColumn(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.conf");
        Files.writeString(f, "port: 4222\nmax_payload: [1,\n");
        assertEquals(1, run("-c", f.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(f + ":2:14:"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void flagsOverrideTheConfigFile() throws Exception {
        CommandLine cl = CommandLine.parse(new String[]{"-p", "5222", "--addr=127.0.0.1", "-m", "8222",
                "-n", "name1", "--user", "u", "--pass", "p", "-DV", "-l", "/tmp/x.log"});
        ServerOptions o = new ServerOptions();
        o.port = 1;
        cl.applyTo(o);
        assertEquals(5222, o.port);
        assertEquals("127.0.0.1", o.host);
        assertEquals(8222, o.httpPort);
        assertEquals("name1", o.serverName);
        assertEquals("u", o.authUser);
        assertTrue(o.debug && o.trace);
        assertEquals("/tmp/x.log", o.logFile);
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(new String[]{"-p"}));
    }

    /** Every nats-server 2.9.10 flag is known: jnats's own suite starts servers with -js. */
    @Test
    void everyReferenceFlagIsAcceptedAndUnsupportedOnesWarn() {
        CommandLine cl = CommandLine.parse(new String[]{"-js", "-sd", "/tmp/js", "--cluster", "nats://0.0.0.0:6222",
                "--routes", "nats://a:6222", "--cluster_name", "c", "--no_advertise", "--connect_retries", "3",
                "-s", "-r", "udp://x:514", "--profile", "6060", "--log_size_limit", "100", "--max_traced_msg_len", "10",
                "-VV", "-DVV", "-P", "/tmp/nats.pid", "--ports_file_dir", "/tmp", "--client_advertise", "x:4222",
                "-T=false"});
        ServerOptions o = new ServerOptions();
        cl.applyTo(o);
        assertTrue(o.warnings.stream().anyMatch(w -> w.contains("JetStream is not provided")), o.warnings.toString());
        assertEquals(6222, o.cluster.port);
        assertEquals("0.0.0.0", o.cluster.host);
        assertEquals("c", o.cluster.name);
        assertEquals(List.of(URI.create("nats://a:6222")), o.cluster.routes);
        assertTrue(o.cluster.noAdvertise);
        assertEquals(3, o.cluster.connectRetries);
        assertEquals("/tmp/nats.pid", o.pidFile);
        assertEquals("/tmp", o.portsFileDir);
        assertTrue(o.debug && o.trace);
        assertTrue(!o.logtime);
    }

    @Test
    void tlsFlagsFillTheTlsOptionsAndHttpsNeedsThem() {
        CommandLine cl = CommandLine.parse(new String[] {"--tls", "--tlscert", "c.pem", "--tlskey", "k.pem",
                "--tlsverify", "--tlscacert", "ca.pem"});
        ServerOptions o = new ServerOptions();
        cl.applyTo(o);
        assertEquals("c.pem", o.tls.certFile);
        assertEquals("k.pem", o.tls.keyFile);
        assertEquals("ca.pem", o.tls.caFile);
        assertTrue(o.tls.verify);
        ServerOptions https = new ServerOptions();
        CommandLine.parse(new String[] {"-ms", "8443"}).applyTo(https);
        assertEquals(8443, https.httpsPort);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NatsServer(https));
        assertEquals("TLS cert and key required for HTTPS", e.getMessage());
        https.httpPort = 8222;
        e = assertThrows(IllegalArgumentException.class, () -> new NatsServer(https));
        assertEquals("can't specify both HTTP (8222) and HTTPs (8443) ports", e.getMessage());
    }

    @Test
    void dashTChecksTheConfigAndExits(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ok.conf");
        Files.writeString(f, "port: 4222\n");
        assertEquals(0, run("-t", "-c", f.toString()));
        Files.writeString(f, "port: [\n");
        assertEquals(1, run("-t", "-c", f.toString()));
    }
}
