package io.natsjvm.server.cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --signal <command>[=<pid or pid file>]}: sends a running server the signal nats-server's
 * {@code ProcessSignal} sends for the command. Without a pid, the one running server process is
 * found among the processes of this machine.
 */
final class SignalSender {
    private static final Map<String, String> SIGNALS = Map.of("stop", "KILL", "quit", "INT", "term", "TERM",
            "reopen", "USR1", "reload", "HUP", "ldm", "USR2");

    private SignalSender() {
    }

    /** @return the exit code: 0 when sent */
    static int send(String spec) throws IOException, InterruptedException {
        String[] parts = spec.split("=", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("invalid signal parameters: " + List.of(parts).subList(2, parts.length));
        }
        String signal = SIGNALS.get(parts[0]);
        if (signal == null) {
            throw new IllegalArgumentException("unknown signal \"" + parts[0] + "\"");
        }
        long pid = parts.length == 2 ? pid(parts[1]) : running();
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        return kill.waitFor() == 0 ? 0 : 1;
    }

    /** A pid, or a file holding one (as the reference reads {@code -sl reload=/run/nats.pid}). */
    private static long pid(String pidOrFile) throws IOException {
        String text = pidOrFile;
        Path p = Path.of(pidOrFile);
        if (Files.isRegularFile(p)) {
            text = Files.readString(p).trim();
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid pid: " + text);
        }
    }

    private static long running() {
        long me = ProcessHandle.current().pid();
        List<Long> pids = ProcessHandle.allProcesses()
                .filter(h -> h.pid() != me)
                .filter(h -> h.info().commandLine().map(c -> c.contains("nats-jvm-server")
                        || c.contains("Main")).orElse(false))
                .map(ProcessHandle::pid).toList();
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("no nats-server processes running");
        }
        if (pids.size() > 1) {
            StringBuilder b = new StringBuilder("multiple nats-server processes running:");
            pids.forEach(p -> b.append('\n').append(p));
            throw new IllegalArgumentException(b.toString());
        }
        return pids.get(0);
    }
}
