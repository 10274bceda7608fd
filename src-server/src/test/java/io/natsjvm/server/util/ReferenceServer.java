package io.natsjvm.server.util;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real nats-server 2.9.10 process for differential and interop tests: started from config text
 * on a free loopback port, ready once its client port answers with INFO. Tests that need it are
 * skipped where no nats-server is installed (CI installs it: see .ci/run).
 */
public final class ReferenceServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private ReferenceServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The nats-server binary, or null when it is not installed. */
    public static String binary() {
        for (String p : List.of("/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (Files.isExecutable(Path.of(d, "nats-server"))) {
                    return Path.of(d, "nats-server").toString();
                }
            }
        }
        return null;
    }

    /** Starts nats-server with {@code config}; {@code $DIR} in it names a fresh scratch directory. */
    public static ReferenceServer start(String config, String... flags) throws Exception {
        return startOnPort(config, Sockets.freePort(), flags);
    }

    /** As {@link #start}, on a given client port (a restart on the same address). */
    public static ReferenceServer startOnPort(String config, int port, String... flags) throws Exception {
        String bin = binary();
        assumeTrue(bin != null, "nats-server is not installed");
        Path dir = Files.createTempDirectory("nats-ref");
        Path conf = dir.resolve("server.conf");
        Files.writeString(conf, config.replace("$DIR", dir.toString()));
        List<String> cmd = new ArrayList<>(List.of(bin, "-c", conf.toString(), "-a", "127.0.0.1", "-p",
                String.valueOf(port)));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        ReferenceServer s = new ReferenceServer(p, port, dir);
        s.awaitReady(Duration.ofSeconds(10));
        return s;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** The server's id, from the INFO it sends. */
    public String serverId() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            String info = Sockets.line(s.getInputStream());
            int i = info.indexOf("\"server_id\":\"");
            return info.substring(i + 13, info.indexOf('"', i + 13));
        }
    }

    public Path dir() {
        return dir;
    }

    /** The server's log so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void awaitReady(Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited: " + log());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (s.getInputStream().read() == 'I') {
                    return;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
            Thread.sleep(10); // polling a foreign process's port: there is no event to await
        }
        throw new IllegalStateException("nats-server did not listen on " + port + ": " + log());
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
