package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.natsjvm.server.monitor.ServerView;
import io.natsjvm.server.monitor.AccountStat;
import com.fasterxml.jackson.databind.DeserializationFeature;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.monitor.MonitorException;
import io.natsjvm.server.monitor.Options;
import io.natsjvm.server.protocol.Json;

import java.io.IOException;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference's request/reply envelope for system services: options read from the body, the
 * server filters applied (a request for another server gets no reply), then
 * {@code {"server":{...},"data":{...}}} or {@code "error":{"code":400|500,"description":...}}.
 * System thread only.
 */
final class ServiceRequests {
    /** Thrown by an endpoint that has nothing to say (the reference stays silent). */
    static final class Skip extends Exception {
        Skip() {
            super(null, null, false, false);
        }
    }

    /** An endpoint computed from its parsed options. */
    interface Endpoint<O> {
        Object apply(O options) throws MonitorException, Skip;
    }

    private final SystemEvents events;
    private final ServerView server;

    ServiceRequests(SystemEvents events, ServerView server) {
        this.events = events;
        this.server = server;
    }

    <O> void answer(Account replyIn, InternalMessage m, Class<O> optionsType, Endpoint<O> endpoint) {
        if (m.reply() == null) {
            return;
        }
        Map<String, Object> error = null;
        Object data = null;
        boolean withData = false;
        O opts = null;
        if (m.hasBody()) {
            try {
                opts = read(m.payload(), optionsType);
                if (filteredOut(read(m.payload(), Options.Filter.class))) {
                    return;
                }
            } catch (Exception e) {
                error = error(400, GoJsonErrors.describe(m.payload(), e));
            }
        } else {
            opts = defaults(optionsType);
        }
        if (error == null) {
            try {
                data = endpoint.apply(opts);
                withData = true;
            } catch (Skip s) {
                return;
            } catch (MonitorException e) {
                // The reference returns a typed nil alongside the error: "data": null.
                withData = true;
                error = error(500, e.getMessage());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Object payload = data;
        boolean includeData = withData;
        Map<String, Object> err = error;
        events.publish(replyIn, m.reply(), null, s -> {
            body.put("server", s);
            if (includeData) {
                body.put("data", payload);
            }
            if (err != null) {
                body.put("error", err);
            }
            return body;
        });
    }

    /** A per-client command request body: {@code {"cid": <n>}} (2.10's KICK and LDM). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClientCommand(@JsonProperty("cid") long cid) {
    }

    /** What a command does with its client id: null on success, else the error text. */
    interface Command {
        String run(long cid);
    }

    /**
     * 2.10's KICK and LDM: the body is {@code {"cid": n}} (one that does not decode gets no
     * reply, as there); the reply is {@code {"server":{...}}}, or with
     * {@code "error":{"code":500,"description":...}}, never a data field.
     */
    void command(Account replyIn, InternalMessage m, Command command) {
        long cid = 0;
        if (m.hasBody()) {
            try {
                cid = read(m.payload(), ClientCommand.class).cid();
                if (filteredOut(read(m.payload(), Options.Filter.class))) {
                    return;
                }
            } catch (Exception e) {
                return;
            }
        }
        if (m.reply() == null) {
            command.run(cid);
            return;
        }
        String failure = command.run(cid);
        Map<String, Object> body = new LinkedHashMap<>();
        events.publish(replyIn, m.reply(), null, s -> {
            body.put("server", s);
            if (failure != null) {
                body.put("error", error(500, failure));
            }
            return body;
        });
    }

    /** STATSZ requests: no reply subject means "broadcast on our STATSZ subject". */
    void statsz(InternalMessage m) {
        String reply = m.reply() != null ? m.reply() : "$SYS.SERVER." + server.serverId() + ".STATSZ";
        if (m.hasBody()) {
            try {
                if (filteredOut(read(m.payload(), Options.Filter.class))) {
                    return;
                }
            } catch (Exception e) {
                Map<String, Object> err = error(400, GoJsonErrors.describe(m.payload(), e));
                events.publish(events.systemAccount(), reply, null, s -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("server", s);
                    body.put("error", err);
                    return body;
                });
                return;
            }
        }
        events.publishStatsz(reply, null);
    }

    /** A reply in the standard envelope with {@code data}, whatever the request body says. */
    void reply(Account replyIn, InternalMessage m, Object data) {
        if (m.reply() == null) {
            return;
        }
        events.publish(replyIn, m.reply(), null, s -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("server", s);
            body.put("data", data);
            return body;
        });
    }

    /** IDZ: the bare {name, host, id}, no envelope, no filters (2.10's static identity). */
    void idz(InternalMessage m) {
        if (m.reply() == null) {
            return;
        }
        ServerId id = new ServerId(server.serverName(), server.options().host, server.serverId());
        events.publish(events.systemAccount(), m.reply(), null, s -> id);
    }

    /** CONNS: an account's connection counts, sent only if it has local connections. */
    void conns(String account, InternalMessage m) {
        Account a = server.accounts().get(account);
        if (a == null || a.connections() == 0 || m.reply() == null) {
            return;
        }
        AccountStat stat = events.monitor().accountStat(a);
        events.publish(events.systemAccount(), m.reply(), null,
                s -> AccountConnsEvent.of(events.nextId(), s.time(), s, stat));
    }

    private boolean filteredOut(Options.Filter f) {
        if (f.serverName() != null && !f.serverName().isEmpty() && !server.serverName().contains(f.serverName())) {
            return true;
        }
        if (f.host() != null && !f.host().isEmpty() && !server.options().host.contains(f.host())) {
            return true;
        }
        if (f.cluster() != null && !f.cluster().isEmpty()
                && (server.clusterName() == null || !server.clusterName().contains(f.cluster()))) {
            return true;
        }
        if (f.tags() != null) {
            for (String t : f.tags()) {
                if (!server.options().serverTags.contains(t.strip().toLowerCase(Locale.ROOT))) {
                    return true; // every tag asked for must be one of this server's
                }
            }
        }
        return f.domain() != null && !f.domain().isEmpty();
    }

    private static <O> O read(byte[] body, Class<O> type) throws IOException {
        return Json.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(body);
    }

    private static <O> O defaults(Class<O> type) {
        try {
            return Json.MAPPER.readValue("{}", type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> error(int code, String description) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("description", description);
        return e;
    }
}
