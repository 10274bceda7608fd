package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.log.ServerLog;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.util.function.IntConsumer;

/**
 * The signals nats-server handles, as its {@code signal.go} maps them: TERM and INT stop the server
 * (INT exits 0, TERM 1, as the reference), HUP reloads the config file, USR1 reopens the log file,
 * USR2 enters lame duck mode (the process exits 0 when it is done).
 * HotSpot uses SIGUSR2 for itself unless {@code _JAVA_SR_SIGNUM} moves it, which
 * {@code scripts/server} does; without that, USR2 is left to the JVM and said so.
 */
final class ProcessSignals {
    private ProcessSignals() {
    }

    /**
     * @param stop   shuts down and exits the process with the given status
     * @param reload re-reads the config file and applies it (logs a refusal itself)
     */
    static void install(NatsServer server, IntConsumer stop, Runnable reload) {
        ServerLog log = ServerLog.get();
        // The reference exits 1 after SIGTERM (0 after SIGINT), and ignores SIGTERM in lame duck mode.
        handle("TERM", s -> {
            ServerLog.get().debug("Trapped \"terminated\" signal");
            if (!server.inLameDuckMode()) {
                stop.accept(1);
            }
        });
        handle("INT", s -> {
            ServerLog.get().debug("Trapped \"interrupt\" signal");
            stop.accept(0);
        });
        handle("HUP", s -> {
            ServerLog.get().debug("Trapped \"hangup\" signal");
            new Thread(reload, "reload").start();
        });
        handle("USR1", s -> {
            try {
                ServerLog.reopen();
                ServerLog.get().info("File log re-opened");
            } catch (IOException e) {
                ServerLog.get().error("Could not re-open log file: %s", e.getMessage());
            }
        });
        // Without _JAVA_SR_SIGNUM moving it, HotSpot suspends threads with SIGUSR2 (JFR's sampler
        // does, every few milliseconds): taking it over would turn profiling into lame duck mode.
        String sr = System.getenv("_JAVA_SR_SIGNUM");
        boolean usr2Free = sr != null && !sr.isBlank() && !sr.trim().equals("12");
        if (!usr2Free || !handle("USR2", s -> new Thread(() -> {
            if (server.lameDuck()) {
                stop.accept(0);
            }
        }, "lame-duck").start())) {
            log.debug("SIGUSR2 is used by the JVM (set _JAVA_SR_SIGNUM to move it); lame duck signal unavailable");
        }
    }

    /** @return false when the JVM keeps the signal for itself */
    private static boolean handle(String name, SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
            return true;
        } catch (IllegalArgumentException inUse) {
            return false;
        }
    }
}
