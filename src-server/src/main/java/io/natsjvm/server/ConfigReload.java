package io.natsjvm.server;

import io.natsjvm.server.config.ClusterOptions;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.LeafOptions;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.config.WebsocketOptions;
import io.natsjvm.server.config.TlsOptions;
import io.natsjvm.server.log.GoFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a config reload changes, decided as nats-server 2.9.10's {@code reload.go} decides it:
 * options it cannot change live (listen addresses, server name, max_subscriptions, the system
 * account, entering or leaving operator mode, the resolver set-up, the cluster listener and
 * name ...) refuse the whole
 * reload with its message and nothing changes; everything else is listed, by name, to be applied.
 */
final class ConfigReload {
    /** The groups of reloadable options a reload applies. */
    enum Part { LOGGING, AUTHORIZATION, LIMITS, ROUTES, PROCESS_FILES, LAME_DUCK, TLS }

    record Plan(List<String> logLines, List<Part> parts) {
        boolean has(Part p) {
            return parts.contains(p);
        }
    }

    private ConfigReload() {
    }

    static Plan plan(ServerOptions old, ServerOptions next) throws ConfigException {
        refuse("Host", old.host, next.host);
        refuse("Port", old.port, next.port);
        refuse("HTTPHost", old.httpHost, next.httpHost);
        refuse("HTTPPort", old.httpPort, next.httpPort);
        refuse("HTTPSPort", old.httpsPort, next.httpsPort);
        refuse("ServerName", old.serverName, next.serverName);
        refuse("MaxSubs", old.maxSubscriptions, next.maxSubscriptions);
        refuse("SystemAccount", old.systemAccount, next.systemAccount);
        if (old.operatorMode() != next.operatorMode()) {
            // into or out of operator mode is a different server; within it, trust reloads live
            refuse("TrustedOperators", old.operators, next.operators);
            refuse("TrustedKeys", old.trustedKeys, next.trustedKeys);
        }
        if (!Objects.equals(old.resolverType, next.resolverType) || !Objects.equals(old.resolverUrl, next.resolverUrl)
                || !Objects.equals(old.resolverDir, next.resolverDir)) {
            throw new ConfigException("config reload does not support moving to or from an account resolver");
        }
        ClusterOptions oc = old.cluster;
        ClusterOptions nc = next.cluster;
        if (!Objects.equals(oc.host, nc.host) && oc.enabled()) {
            throw new ConfigException("config reload not supported for cluster host: old=" + oc.host + ", new=" + nc.host);
        }
        if (oc.port != nc.port && !(nc.port == -1 && oc.enabled())) {
            throw new ConfigException("config reload not supported for cluster port: old=" + oc.port + ", new="
                    + nc.port);
        }
        refuse("Cluster.Name", oc.name, nc.name);
        // as the reference: the leafnode and websocket blocks cannot change by reload (their TLS
        // certificates aside), and a changed block refuses the reload rather than being ignored
        refuse("LeafNode", leafShape(old), leafShape(next));
        refuse("Websocket", websocketShape(old), websocketShape(next));

        List<String> lines = new ArrayList<>();
        List<Part> parts = new ArrayList<>();
        if (old.trace != next.trace) {
            lines.add("Reloaded: trace = " + next.trace);
        }
        if (old.debug != next.debug) {
            lines.add("Reloaded: debug = " + next.debug);
        }
        if (old.logtime != next.logtime) {
            lines.add("Reloaded: logtime = " + next.logtime);
        }
        if (!Objects.equals(old.logFile, next.logFile)) {
            lines.add("Reloaded: log_file = " + (next.logFile == null ? "" : next.logFile));
        }
        if (old.logSizeLimit != next.logSizeLimit) {
            lines.add("Reloaded: logfile_size_limit = " + next.logSizeLimit);
        }
        if (!lines.isEmpty()) {
            parts.add(Part.LOGGING);
        }
        int before = lines.size();
        if (!Objects.equals(old.authUser, next.authUser)) {
            lines.add("Reloaded: authorization username");
        }
        if (!Objects.equals(old.authPassword, next.authPassword)) {
            lines.add("Reloaded: authorization password");
        }
        if (!Objects.equals(old.authToken, next.authToken)
                || !Objects.equals(old.authTokenPermissions, next.authTokenPermissions)) {
            lines.add("Reloaded: authorization token");
        }
        if (!old.authTimeout.equals(next.authTimeout)) {
            lines.add("Reloaded: authorization timeout = " + next.authTimeout.toNanos() / 1e9);
        }
        if (!old.users.equals(next.users)) {
            lines.add("Reloaded: authorization users");
        }
        if (!Objects.equals(old.noAuthUser, next.noAuthUser)) {
            lines.add("Reloaded: no_auth_user = " + (next.noAuthUser == null ? "" : next.noAuthUser));
        }
        if (!old.accounts.equals(next.accounts)) {
            lines.add("Reloaded: accounts");
        }
        if (!old.mappings.equals(next.mappings)) {
            lines.add("Reloaded: mappings");
        }
        if (!old.accountLimits.equals(next.accountLimits)) {
            lines.add("Reloaded: account limits");
        }
        if (!old.resolverPreload.equals(next.resolverPreload)) {
            lines.add("Reloaded: resolver preload");
        }
        if (lines.size() > before) {
            parts.add(Part.AUTHORIZATION);
        }
        before = lines.size();
        if (old.maxConnections != next.maxConnections) {
            lines.add("Reloaded: max_connections = " + next.maxConnections);
        }
        if (old.maxControlLine != next.maxControlLine) {
            lines.add("Reloaded: max_control_line = " + next.maxControlLine);
        }
        if (old.maxPayload != next.maxPayload) {
            lines.add("Reloaded: max_payload = " + next.maxPayload);
        }
        if (!old.pingInterval.equals(next.pingInterval)) {
            lines.add("Reloaded: ping_interval = " + goDuration(next.pingInterval.toNanos()));
        }
        if (old.pingMax != next.pingMax) {
            lines.add("Reloaded: ping_max = " + next.pingMax);
        }
        if (!old.writeDeadline.equals(next.writeDeadline)) {
            lines.add("Reloaded: write_deadline = " + goDuration(next.writeDeadline.toNanos()));
        }
        if (old.maxPending != next.maxPending) {
            lines.add("Reloaded: max_pending = " + next.maxPending);
        }
        if (!Objects.equals(old.clientAdvertise, next.clientAdvertise)) {
            lines.add("Reload: client_advertise = " + (next.clientAdvertise == null ? "" : next.clientAdvertise));
        }
        if (lines.size() > before) {
            parts.add(Part.LIMITS);
        }
        if (!oc.routes.equals(nc.routes) || oc.noAdvertise != nc.noAdvertise
                || !Objects.equals(oc.user, nc.user) || !Objects.equals(oc.password, nc.password)) {
            lines.add("Reloaded: cluster routes");
            parts.add(Part.ROUTES);
        }
        if (!TlsOptions.same(old.tls, next.tls) || old.allowNonTls != next.allowNonTls) {
            if (next.tls == null && next.httpsPort != 0) {
                throw new ConfigException("TLS cert and key required for HTTPS");
            }
            lines.add("Reloaded: tls = " + (next.tls == null ? "disabled" : "enabled"));
            parts.add(Part.TLS);
            if ((old.tls != null && old.tls.map) != (next.tls != null && next.tls.map)) {
                parts.add(Part.AUTHORIZATION); // verify_and_map changes how users log in
            }
        }
        if (!Objects.equals(old.pidFile, next.pidFile)) {
            lines.add("Reloaded: pid_file = " + (next.pidFile == null ? "" : next.pidFile));
            parts.add(Part.PROCESS_FILES);
        }
        if (!Objects.equals(old.portsFileDir, next.portsFileDir)) {
            lines.add("Reloaded: ports_file_dir = " + (next.portsFileDir == null ? "" : next.portsFileDir));
            parts.add(Part.PROCESS_FILES);
        }
        if (!old.lameDuckDuration.equals(next.lameDuckDuration)
                || !old.lameDuckGracePeriod.equals(next.lameDuckGracePeriod)) {
            parts.add(Part.LAME_DUCK);
        }
        return new Plan(lines, parts);
    }

    /** What of the leafnodes block a reload compares (everything but TLS files, as the reference). */
    private static String leafShape(ServerOptions o) {
        LeafOptions l = o.leaf;
        StringBuilder b = new StringBuilder("{host=").append(l.host).append(" port=").append(l.port)
                .append(" user=").append(l.user).append(" account=").append(l.account)
                .append(" password=").append(secret(l.password)).append(" users=")
                .append(l.users.stream().map(u -> u.user() + "/" + u.account() + "/" + secret(u.password()))
                        .sorted().toList())
                .append(" timeout=").append(l.authTimeout).append(" reconnect=").append(l.reconnect)
                .append(" advertise=").append(l.advertise).append(" no_advertise=").append(l.noAdvertise)
                .append(" tls=").append(l.tls != null).append(" remotes=[");
        for (LeafOptions.Remote r : l.remotes) {
            b.append("{urls=").append(r.urls()).append(" account=").append(r.account()).append(" credentials=")
                    .append(r.credentials()).append(" deny_imports=").append(r.denyImports()).append(" deny_exports=")
                    .append(r.denyExports()).append(" tls=").append(r.tlsConfigured()).append('}');
        }
        return b.append("]}").toString();
    }

    private static String websocketShape(ServerOptions o) {
        WebsocketOptions w = o.websocket;
        return "{host=" + w.host + " port=" + w.port + " no_tls=" + w.noTls + " tls=" + (w.tls != null)
                + " same_origin=" + w.sameOrigin + " allowed_origins=" + w.allowedOrigins + " handshake_timeout="
                + w.handshakeTimeout + " compression=" + w.compression + " jwt_cookie=" + w.jwtCookie + " user="
                + w.user + " password=" + secret(w.password) + " token=" + secret(w.token) + " no_auth_user="
                + w.noAuthUser + "}";
    }

    /** A secret as a reload compares and logs it: changed or not, never the value. */
    private static String secret(String s) {
        return s == null ? "" : "[REDACTED:" + Integer.toHexString(s.hashCode()) + "]";
    }

    private static void refuse(String field, Object old, Object next) throws ConfigException {
        if (!Objects.equals(old, next)) {
            throw new ConfigException("config reload not supported for " + field + ": old=" + show(old) + ", new="
                    + show(next));
        }
    }

    private static String show(Object v) {
        return v == null ? "" : v.toString();
    }

    private static String goDuration(long nanos) {
        return GoFormat.duration(nanos);
    }
}
