package io.natsjvm.server.monitor;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.Json;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.natsjvm.server.config.TlsOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP monitoring on {@code http_port}: the reference's endpoints with its query parameters and
 * JSON (indented as Go's MarshalIndent does), plus Prometheus metrics at {@code /metrics}.
 * Endpoint work runs off the event loop (it walks every connection).
 */
public final class HttpMonitor {
    private static final ObjectWriter PRETTY = Json.MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    /** An endpoint's JSON from the request's query parameters. */
    private interface Endpoint {
        Object handle(Query q) throws MonitorException;
    }

    private final ServerView server;
    private final Monitor monitor;
    /**
     * Built on the first scrape: the registry and its meters (Micrometer, the Prometheus client)
     * were a tenth of the time from exec to listening, for a page many deployments never read.
     * Nothing is missed by starting late: the meters read the server's state when scraped, and
     * the claims ledger keeps the enforcement times recorded before (ClaimsLedger#onEnforced).
     */
    private PrometheusMetrics metrics;
    private HttpServer http;

    public HttpMonitor(ServerView server, Monitor monitor) {
        this(server, monitor, (v, r) -> { });
    }

    /** @param extraRoutes more pages on the same port (the operations console) */
    public HttpMonitor(ServerView server, Monitor monitor, BiConsumer<Vertx, Router> extraRoutes) {
        this.server = server;
        this.monitor = monitor;
        this.extraRoutes = extraRoutes;
    }

    private final BiConsumer<Vertx, Router> extraRoutes;

    private synchronized PrometheusMetrics metrics() {
        if (metrics == null) {
            metrics = new PrometheusMetrics(server, monitor);
        }
        return metrics;
    }

    /**
     * @param tls for HTTPS (the client listener's certificate; like the reference, monitoring
     *            never asks for a client certificate), or null for plain HTTP
     */
    public void start(Vertx vertx, String host, int port, TlsOptions tls) throws Exception {
        String base = server.options().monitorBasePath();
        Router router = Router.router(vertx);
        route(router, "/varz", q -> monitor.varz());
        route(router, "/connz", q -> monitor.connz(new Options.Connz(q.string("sort"), q.bool("auth"),
                q.subs() == 1, q.subs() == 2, q.integer("offset"), q.integer("limit"), q.uint("cid"),
                q.string("mqtt_client"), q.state(), q.string("user"), q.string("acc"), q.string("filter_subject"))));
        route(router, "/routez", q -> monitor.routez());
        route(router, "/gatewayz", q -> monitor.gatewayz());
        route(router, "/leafz", q -> monitor.leafz(new Options.Leafz(q.bool("subs"), q.string("acc"))));
        for (String subsz : List.of("/subsz", "/subscriptionsz")) {
            route(router, subsz, q -> {
                boolean subs = q.bool("subs");
                Map<String, Object> r = monitor.subsz(new Options.Subsz(q.integer("offset"), q.integer("limit"), subs,
                        q.string("acc"), q.string("test")));
                // Like the reference, without a subscription list only the statistics are shown.
                if (!r.containsKey("subscriptions_list")) {
                    r.keySet().retainAll(List.of("num_subscriptions", "num_cache", "num_inserts", "num_removes",
                            "num_matches", "cache_hit_rate", "max_fanout", "avg_fanout"));
                }
                return r;
            });
        }
        route(router, "/accountz", q -> monitor.accountz(new Options.Accountz(q.string("acc"))));
        route(router, "/accstatz", q -> monitor.accountStatz(new Options.AccountStatz(null, q.bool("unused"))));
        route(router, "/jsz", q -> monitor.jsz());
        route(router, "/healthz", q -> monitor.healthz());
        route(router, "/claimsz", q -> monitor.claimsz(new Options.Claimsz(q.string("acc"))));
        router.get("/stacksz").blockingHandler(ctx -> {
            // the reference's goroutine dump; here every thread's stack, in jstack's shape
            monitor.httpRequest("/stacksz");
            StringBuilder b = new StringBuilder();
            for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                b.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId()).append(' ')
                        .append(t.getThreadState()).append('\n');
                for (StackTraceElement e : t.getStackTrace()) {
                    b.append("\tat ").append(e).append('\n');
                }
                b.append('\n');
            }
            ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(b.toString());
        }, false);
        // the reference's internal queues: this server has none, so always the empty map it gives when idle
        route(router, "/ipqueuesz", q -> Map.of());
        router.get("/metrics").blockingHandler(ctx -> {
            monitor.httpRequest("/metrics");
            ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics().scrape());
        }, false);
        extraRoutes.accept(vertx, router);
        Handler<RoutingContext> rootPage = ctx -> {
            monitor.httpRequest("/");
            String prefix = base.equals("/") ? "/" : base + "/";
            StringBuilder b = new StringBuilder("<html><body><h1>nats-jvm monitoring</h1>"
                    + "<p><a href=\"" + prefix + "console\">Operations console</a></p><ul>");
            for (String p : List.of("varz", "connz", "routez", "gatewayz", "leafz", "subsz", "accountz",
                    "accstatz", "jsz", "healthz", "claimsz", "metrics")) {
                b.append("<li><a href=\"").append(prefix).append(p).append("\">").append(p).append("</a></li>");
            }
            ctx.response().putHeader("Content-Type", "text/html").end(b.append("</ul></body></html>").toString());
        };
        router.get("/").handler(rootPage);
        HttpServerOptions options = new HttpServerOptions();
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile)
                    .setKeyPath(tls.keyFile));
        }
        Router served = router;
        if (!base.equals("/")) {
            // http_base_path: every endpoint under it, as the reference mounts them
            served = Router.router(vertx);
            served.get(base).handler(rootPage); // the base path itself is the root page, as the reference's
            served.route(base + "/*").subRouter(router);
        }
        http = vertx.createHttpServer(options).requestHandler(served);
        // Listen from the event loop that will own the connections. Vert.x 4.5 binds inside
        // listen() and records its SSL provider only after that bind returns; a connection
        // initialised on another loop in between fails with a NullPointerException and is dropped.
        // On the same loop its initialisation queues behind listen().
        CompletableFuture<HttpServer> listening = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> http.listen(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                listening.complete(ar.result());
            } else {
                listening.completeExceptionally(ar.cause());
            }
        }));
        listening.get(10, TimeUnit.SECONDS);
    }

    private void route(Router router, String path, Endpoint h) {
        router.get(path).blockingHandler(ctx -> {
            monitor.httpRequest(path);
            try {
                Object body = h.handle(new Query(ctx));
                String json = PRETTY.writeValueAsString(body);
                String callback = ctx.request().getParam("callback");
                if (callback != null && !callback.isEmpty()) {
                    ctx.response().putHeader("Content-Type", "application/javascript")
                            .end(callback + "(" + json + ")");
                } else {
                    ctx.response().putHeader("Content-Type", "application/json").end(json);
                }
            } catch (BadParameter | MonitorException e) {
                ctx.response().setStatusCode(400).end(e.getMessage());
            } catch (Exception e) {
                ServerLog.get().error("Monitoring request %s failed: %s", path, e);
                ctx.response().setStatusCode(500).end(String.valueOf(e.getMessage()));
            }
        }, false);
    }

    public int port() {
        return http == null ? 0 : http.actualPort();
    }

    public void stop() {
        if (http != null) {
            try {
                http.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                ServerLog.get().warn("Monitor listener close: %s", e);
            }
        }
    }

    /** A query parameter that does not parse, with the reference's message. */
    private static final class BadParameter extends RuntimeException {
        BadParameter(String m) {
            super(m, null, false, false);
        }
    }

    /** Query parameters decoded the way the reference decodes them (Go's strconv rules). */
    private static final class Query {
        private final RoutingContext ctx;

        Query(RoutingContext ctx) {
            this.ctx = ctx;
        }

        String string(String name) {
            String v = ctx.request().getParam(name);
            return v == null || v.isEmpty() ? null : v;
        }

        boolean bool(String name) {
            String v = string(name);
            if (v == null) {
                return false;
            }
            return switch (v) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                case "0", "f", "F", "FALSE", "false", "False" -> false;
                default -> throw new BadParameter("Error decoding boolean for '" + name
                        + "': strconv.ParseBool: parsing \"" + v + "\": invalid syntax");
            };
        }

        int integer(String name) {
            String v = string(name);
            if (v == null) {
                return 0;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new BadParameter("Error decoding int for '" + name + "': strconv.Atoi: parsing \"" + v
                        + "\": invalid syntax");
            }
        }

        long uint(String name) {
            String v = string(name);
            if (v == null) {
                return 0;
            }
            try {
                return Long.parseUnsignedLong(v);
            } catch (NumberFormatException e) {
                throw new BadParameter("Error decoding uint64 for '" + name + "': strconv.ParseUint: parsing \""
                        + v + "\": invalid syntax");
            }
        }

        /** subs: 0 none, 1 names, 2 detail. */
        int subs() {
            String v = string("subs");
            if (v != null && v.equalsIgnoreCase("detail")) {
                return 2;
            }
            return bool("subs") ? 1 : 0;
        }

        int state() {
            String v = string("state");
            if (v == null) {
                return 0;
            }
            return switch (v.toLowerCase()) {
                case "open" -> 0;
                case "closed" -> 1;
                case "any", "all" -> 2;
                default -> throw new BadParameter("Error decoding state for " + v);
            };
        }
    }
}
