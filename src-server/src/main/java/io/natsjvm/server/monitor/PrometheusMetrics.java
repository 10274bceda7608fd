package io.natsjvm.server.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.natsjvm.resolver.ClaimsLedger;
import io.natsjvm.server.account.Account;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus series for the server and each account, read from the same counters the
 * monitoring endpoints use at scrape time (nothing is counted twice on the message path).
 */
public final class PrometheusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServerView server;
    private final Set<String> registeredAccounts = ConcurrentHashMap.newKeySet();
    private final Set<String> registeredReasons = ConcurrentHashMap.newKeySet();

    public PrometheusMetrics(ServerView server, Monitor monitor) {
        this.server = server;
        gauge("nats.server.connections", "Open client connections", s -> s.clients().size());
        gauge("nats.server.max.connections", "Configured connection limit", s -> s.options().maxConnections);
        gauge("nats.server.connection.headroom", "Connections left before max_connections",
                s -> s.options().maxConnections - s.clients().size());
        gauge("nats.server.subscriptions", "Subscriptions across all accounts",
                s -> s.accounts().all().stream().mapToLong(a -> a.subjects().count()).sum());
        gauge("nats.server.max.payload.bytes", "Configured max_payload", s -> s.options().maxPayload);
        gauge("nats.server.memory.bytes", "Resident memory", s -> Monitor.memory());
        counter("nats.server.connections.accepted", "Connections accepted since start",
                ServerView::totalConnections);
        counter("nats.server.slow.consumers", "Slow consumers detected", ServerView::slowConsumerCount);
        counter("nats.server.in.msgs", "Messages received from clients", s -> traffic(s, 0));
        counter("nats.server.in.bytes", "Bytes received from clients", s -> traffic(s, 1));
        counter("nats.server.out.msgs", "Messages sent to clients", s -> traffic(s, 2));
        counter("nats.server.out.bytes", "Bytes sent to clients", s -> traffic(s, 3));
        claimMetrics(server.claimsLedger());
    }

    /**
     * Claim updates by outcome, the time from an update's arrival until the connections it no
     * longer allows are closed (a histogram, so alerts can use its percentiles), and the JWTs in
     * force by where they came from.
     */
    private void claimMetrics(ClaimsLedger ledger) {
        for (ClaimsLedger.Outcome o : ClaimsLedger.Outcome.values()) {
            FunctionCounter.builder("nats.claims.updates", ledger, l -> l.count(o))
                    .tags(Tags.of("outcome", o.label()))
                    .description("Account claim updates by outcome").register(registry);
        }
        Timer enforcement = Timer.builder("nats.claims.enforcement")
                .description("From a claim update's arrival until its excess connections are closed")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        ledger.onEnforced(nanos -> enforcement.record(nanos, TimeUnit.NANOSECONDS));
        for (ClaimsLedger.Source src : ClaimsLedger.Source.values()) {
            Gauge.builder("nats.claims.accounts", ledger,
                            l -> l.all().stream().filter(e -> e.source() == src).count())
                    .tags(Tags.of("source", src.label()))
                    .description("Account JWTs in force by where they came from").register(registry);
        }
    }

    private static double traffic(ServerView s, int i) {
        long sum = 0;
        for (Account a : s.accounts().all()) {
            sum += a.traffic()[i];
        }
        return sum;
    }

    private void gauge(String name, String help, ToDoubleFunction<ServerView> f) {
        Gauge.builder(name, server, f).description(help).register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<ServerView> f) {
        FunctionCounter.builder(name, server, f).description(help).register(registry);
    }

    private void registerAccount(Account a) {
        Tags tags = Tags.of("account", a.name());
        Gauge.builder("nats.account.connections", a, Account::connections).tags(tags)
                .description("Open connections in the account").register(registry);
        Gauge.builder("nats.account.leafnodes", a, Account::leafs).tags(tags)
                .description("Leaf node connections bound to the account").register(registry);
        Gauge.builder("nats.account.subscriptions", a, x -> x.subjects().count()).tags(tags)
                .description("Subscriptions in the account").register(registry);
        FunctionCounter.builder("nats.account.in.msgs", a, x -> x.traffic()[0]).tags(tags)
                .description("Messages received from the account's clients").register(registry);
        FunctionCounter.builder("nats.account.in.bytes", a, x -> x.traffic()[1]).tags(tags)
                .description("Bytes received from the account's clients").register(registry);
        FunctionCounter.builder("nats.account.out.msgs", a, x -> x.traffic()[2]).tags(tags)
                .description("Messages sent to the account's clients").register(registry);
        FunctionCounter.builder("nats.account.out.bytes", a, x -> x.traffic()[3]).tags(tags)
                .description("Bytes sent to the account's clients").register(registry);
        FunctionCounter.builder("nats.account.slow.consumers", a, Account::slowConsumers).tags(tags)
                .description("Slow consumers in the account").register(registry);
    }

    /** The exposition text; accounts and failure reasons seen since the last scrape are added first. */
    public String scrape() {
        for (Account a : server.accounts().all()) {
            if (registeredAccounts.add(a.name())) {
                registerAccount(a);
            }
        }
        for (String reason : server.authFailureReasons().keySet()) {
            if (registeredReasons.add(reason)) {
                FunctionCounter.builder("nats.server.auth.failures", server,
                                s -> s.authFailureReasons().getOrDefault(reason, 0L))
                        .tags(Tags.of("reason", reason))
                        .description("Failed logins by reason").register(registry);
            }
        }
        return registry.scrape();
    }
}
