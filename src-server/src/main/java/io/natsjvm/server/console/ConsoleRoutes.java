package io.natsjvm.server.console;

import io.natsjvm.server.log.ServerLog;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operations console on the monitoring port: {@code /console} (a page, its script and style,
 * all in the jar: no CDN, no build step) and {@code /console/events}, a server-sent event stream
 * of {@link ConsoleFeed}'s snapshots and events.
 */
public final class ConsoleRoutes {
    private static final Map<String, String> ASSETS = Map.of(
            "/console", "index.html", "/console/", "index.html",
            "/console/app.js", "app.js", "/console/app.css", "app.css");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final ConsoleFeed feed;

    public ConsoleRoutes(ConsoleFeed feed) {
        this.feed = feed;
    }

    public void install(Vertx vertx, Router router) {
        for (Map.Entry<String, String> a : ASSETS.entrySet()) {
            Buffer body = Buffer.buffer(asset(a.getValue()));
            String type = TYPES.get(a.getValue().substring(a.getValue().lastIndexOf('.') + 1));
            router.get(a.getKey()).handler(ctx -> ctx.response().putHeader("Content-Type", type).end(body));
        }
        router.get("/console/events").handler(ctx -> {
            HttpServerResponse r = ctx.response();
            r.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
            r.write(": nats-jvm console\n\n");
            ConsoleFeed.Viewer viewer = (event, json) -> {
                if (!r.writeQueueFull() && !r.closed()) {
                    r.write("event: " + event + "\ndata: " + json + "\n\n");
                }
            };
            r.closeHandler(v -> feed.close(viewer));
            feed.open(viewer);
        });
        vertx.setPeriodic(1000, id -> {
            try {
                feed.tick();
            } catch (RuntimeException e) {
                ServerLog.get().warn("console snapshot failed: %s", e);
            }
        });
    }

    private static byte[] asset(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/io/natsjvm/server/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console asset missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
