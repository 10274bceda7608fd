package io.natsjvm.server.cli;

import io.natsjvm.server.config.ServerOptions;
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
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("flag provided but not defined: --bogus"));
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
        Main.CommandLine cl = Main.CommandLine.parse(new String[]{"-p", "5222", "--addr=127.0.0.1", "-m", "8222",
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
        assertThrows(IllegalArgumentException.class, () -> Main.CommandLine.parse(new String[]{"-p"}));
    }
}
