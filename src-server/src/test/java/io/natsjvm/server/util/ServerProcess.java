package io.natsjvm.server.util;

import io.natsjvm.server.cli.Main;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This server as a real process (for signals, kill -9, restarts and its memory and descriptors),
 * on a fixed port so clients can reconnect across restarts. Its log goes to a file in its directory.
 */
public final class ServerProcess implements AutoCloseable {
    /** scripts/server's default JVM options: processes whose memory or speed is measured use them. */
    public static final List<String> SCRIPT_JVM = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xss512k",
            "-XX:TieredStopAtLevel=4");

    private final Path dir;
    private final Path config;
    private final int port;
    private final List<String> jvmOptions;
    private Path script; // run as this launcher (scripts/server) instead of the test classpath
    private Process process;
    private int starts;

    public ServerProcess(String configText, int port, String... jvmOptions) throws IOException {
        this.dir = Files.createTempDirectory("nats-proc");
        this.config = dir.resolve("server.conf");
        Files.writeString(config, configText.replace("$DIR", dir.toString()));
        this.port = port;
        this.jvmOptions = List.of(jvmOptions);
    }

    /**
     * Runs the server as users do: through {@code scripts/server} (the shaded jar, its manifest and
     * its class-data archive), the JVM options passed in NATS_JVM_OPTS. For measurements: the test
     * classpath loads BouncyCastle from its signed jar and maps no archive, which a user never sees.
     */
    public ServerProcess asScripted(Path root) {
        this.script = root.resolve("scripts/server");
        return this;
    }

    public Path dir() {
        return dir;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the process and returns once its client port answers with INFO. */
    public ServerProcess start() throws Exception {
        List<String> cmd = new ArrayList<>();
        if (script != null) {
            cmd.add(script.toString());
        } else {
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("-c", config.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
        File log = dir.resolve("server-" + starts++ + ".log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log);
        if (script != null && !jvmOptions.isEmpty()) {
            pb.environment().put("NATS_JVM_OPTS", String.join(" ", jvmOptions));
        }
        pb.environment().put("_JAVA_SR_SIGNUM", "39"); // as scripts/server: SIGUSR2 left to the server
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited: " + Files.readString(log.toPath()));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                if (s.getInputStream().read() == 'I') {
                    return this;
                }
            } catch (IOException notYet) {
                Thread.sleep(5); // polling another process's port: no event to await
            }
        }
        throw new IllegalStateException("server did not start: " + Files.readString(log.toPath()));
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal by name (HUP, USR1, USR2, INT, TERM) as kill(1) does. */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
    }

    /** Waits for the process to exit; its exit code, or -1 if it is still running. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /** The text of every log this process wrote so far. */
    public String log() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < starts; i++) {
            b.append(Files.readString(dir.resolve("server-" + i + ".log")));
        }
        return b.toString();
    }

    /** SIGKILL: no shutdown of any kind. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait for the exit. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.toHandle().destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Resident set size in KB (Linux /proc). */
    public long rssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Open file descriptors (Linux /proc). */
    public int openFiles() throws IOException {
        try (var s = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) s.count();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
