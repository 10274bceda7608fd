package io.natsjvm.server.cli;

import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.ServerProcess;
import io.natsjvm.server.util.Sockets;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ports file (ports_file_dir) against nats-server 2.9.10's: the same keys, schemes and
 * addresses (every interface for a listener on 0.0.0.0). nats.js's and nats.deno's test
 * harnesses read a server's ports, its cluster port included, only from this file.
 */
class PortsFileTest {
    private static final String CONFIG = """
            ports_file_dir: "$DIR"
            http: "127.0.0.1:-1"
            cluster { name: PORTS, listen: "0.0.0.0:-1" }
            websocket { listen: "127.0.0.1:-1", no_tls: true }
            """;

    @Test
    void sameListenersAsTheReference() throws Exception {
        String ours;
        try (ServerProcess p = new ServerProcess(CONFIG, Sockets.freePort()).start()) {
            ours = awaitPortsFile(p.dir().resolve("nats-server_" + p.pid() + ".ports"));
        }
        String reference;
        try (ReferenceServer r = ReferenceServer.start(CONFIG)) {
            reference = awaitPortsFile(r.dir().resolve("nats-server_" + r.pid() + ".ports"));
        }
        assertTrue(ours.contains("\"cluster\":[\"nats://"), ours);
        assertEquals(withoutPorts(reference), withoutPorts(ours));
    }

    @Test
    void ipv6AddressesAreWrittenAsGoWritesThem() {
        assertEquals("::1", PortsInfo.compress("0:0:0:0:0:0:0:1"));
        assertEquals("fe80::1c2:3ff:fe4:5", PortsInfo.compress("fe80:0:0:0:1c2:3ff:fe4:5"));
        assertEquals("2001:db8::1:0:0:1", PortsInfo.compress("2001:db8:0:0:1:0:0:1"));
        assertEquals("fe80::", PortsInfo.compress("fe80:0:0:0:0:0:0:0"));
        assertEquals("2001:db8:0:1:2:3:4:5", PortsInfo.compress("2001:db8:0:1:2:3:4:5"));
        assertEquals(List.of("127.0.0.1"), PortsInfo.hosts("127.0.0.1"));
        assertTrue(PortsInfo.hosts("0.0.0.0").contains("127.0.0.1"));
    }

    private static String awaitPortsFile(Path file) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                if (text.endsWith("}")) {
                    return text;
                }
            }
            Thread.sleep(10); // another process's file: nothing to await but its appearance
        }
        throw new AssertionError("no ports file " + file);
    }

    private static String withoutPorts(String json) {
        return json.replaceAll(":[0-9]+\"", ":PORT\"");
    }
}
