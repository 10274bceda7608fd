package io.natsjvm.server.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.server.util.ReferenceShape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real JavaScript clients for the websocket tests: a directory with nats.ws and ws installed by
 * npm (once per machine, in target/), and a way to run a script there and read its JSON line.
 */
final class NodeClients {
    private static final Path DIR = Path.of("target", "node-clients").toAbsolutePath();

    private NodeClients() {
    }

    /** The directory with nats.ws installed, or null when node or npm cannot provide it. */
    static synchronized Path natsWs() {
        try {
            if (!Files.isDirectory(DIR.resolve("node_modules/nats.ws"))) {
                Files.createDirectories(DIR);
                Files.writeString(DIR.resolve("package.json"), "{\"name\":\"nats-jvm-ws-tests\",\"private\":true}");
                Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "nats.ws@1.30.3", "ws@8")
                        .directory(DIR.toFile()).redirectErrorStream(true).start();
                p.getInputStream().transferTo(System.out);
                if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return null;
                }
            }
            for (String name : new String[] {"natsws-client.mjs", "natsws-auth.mjs"}) {
                try (InputStream script = NodeClients.class.getResourceAsStream("/websocket/" + name)) {
                    Files.write(DIR.resolve(name), script.readAllBytes());
                }
            }
            return DIR;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs {@code node script args...} in {@code dir}; its last output line, as JSON. */
    static JsonNode run(Path dir, String script, String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "node";
        cmd[1] = script;
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("node " + script + " failed: " + out);
        }
        String[] lines = out.strip().split("\n");
        return ReferenceShape.JSON.readTree(lines[lines.length - 1]);
    }
}
