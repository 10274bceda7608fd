package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.log.ServerLog;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;

/**
 * The signals nats-server handles, as its {@code signal.go} maps them: TERM and INT stop the server
 * (exit 0), HUP asks for a config reload, USR1 reopens the log file, USR2 asks for lame duck mode.
 * HotSpot uses SIGUSR2 for itself unless {@code _JAVA_SR_SIGNUM} moves it, which
 * {@code scripts/server} does; without that, USR2 is left to the JVM and said so.
 */
final class ProcessSignals {
    private ProcessSignals() {
    }

    static void install(NatsServer server, Runnable stop) {
        ServerLog log = ServerLog.get();
        handle("TERM", s -> {
            ServerLog.get().info("Trapped \"terminated\" signal");
            stop.run();
        });
        handle("INT", s -> {
            ServerLog.get().info("Trapped \"interrupt\" signal");
            stop.run();
        });
        handle("HUP", s -> ServerLog.get().warn("Reloading server configuration is not supported yet:"
                + " the configuration in force is unchanged"));
        handle("USR1", s -> {
            try {
                ServerLog.reopen();
                ServerLog.get().info("File log re-opened");
            } catch (IOException e) {
                ServerLog.get().error("Could not re-open log file: %s", e.getMessage());
            }
        });
        if (!handle("USR2", s -> ServerLog.get().warn("Lame duck mode is not supported yet: the server keeps"
                + " running"))) {
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
