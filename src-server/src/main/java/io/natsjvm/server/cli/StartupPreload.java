package io.natsjvm.server.cli;

import io.natsjvm.server.protocol.Json;
import io.netty.channel.epoll.Epoll;
import io.vertx.core.VertxOptions;

/**
 * Initialises, on a second core, the classes start-up needs that take longest to load (the
 * epoll native library, Vert.x's options, Jackson's mapper, the monitoring router) while the main
 * thread reads the config and builds the server: about 100 of the ~400 ms before the port accepts
 * were these, one after another, on the main thread (async-profiler, wall clock). Class
 * initialisation is the JVM's to synchronise; nothing is started or bound here.
 */
final class StartupPreload {
    private StartupPreload() {
    }

    static void start() {
        Thread t = new Thread(StartupPreload::load, "startup-preload");
        t.setDaemon(true);
        t.start();
    }

    private static void load() {
        try {
            Epoll.isAvailable();
            new VertxOptions();
            Json.MAPPER.writerWithDefaultPrettyPrinter();
            Class.forName("io.vertx.ext.web.Router", true, StartupPreload.class.getClassLoader());
            Class.forName("io.natsjvm.server.monitor.HttpMonitor", true, StartupPreload.class.getClassLoader());
        } catch (Throwable e) {
            // only a head start: whatever failed here is loaded again, on the main thread, when needed
        }
    }
}
