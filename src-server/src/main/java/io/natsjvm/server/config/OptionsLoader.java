package io.natsjvm.server.config;

import io.natsjvm.server.log.GoFormat;

import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.auth.ResponsePermission;
import io.natsjvm.server.auth.SubjectPermission;
import io.natsjvm.server.auth.UserEntry;
import io.natsjvm.server.delivery.SubjectMappings;
import io.natsjvm.server.delivery.Subjects;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a parsed config map into {@link ServerOptions}. Keys are case-insensitive, as in the
 * reference. An unknown top-level key stops start-up, as in the reference (keys of 2.9.10 features
 * not provided here are warnings); unknown keys inside blocks are warnings; wrong types are errors
 * naming the key, prefixed with its place in the file.
 */
public final class OptionsLoader {
    /** Keys of nats-server features this server does not implement yet: accepted with a warning. */
    private static final Set<String> NOT_YET = Set.of("gateway", "jetstream",
            "websocket", "ws", "mqtt", "resolver_tls",
            "syslog", "remote_syslog", "max_traced_msg_len",
            "connect_error_reports", "reconnect_error_reports", "prof_port",
            "disable_sublist_cache", "no_sublist_cache", "default_js_domain",
            "store_dir", "storedir",
            "no_system_account", "no_system",
            "no_sys_acc");

    /**
     * Settings that protect traffic or identity and need TLS, which this server does not have yet:
     * start-up stops rather than serve in plain text what the operator asked to protect.
     */
    private static final Set<String> NEEDS_TLS = Set.of("resolver_tls", "ocsp");
    /** Blocks whose own {@code tls} (or verify settings) are refused the same way. */
    private static final Set<String> BLOCKS_WITH_TLS = Set.of("gateway",
            "mqtt");

    /** A message that already starts with {@code file:line:col:}. */
    private static final Pattern POSITIONED = Pattern.compile("\\S+:\\d+:\\d+: ");

    private OptionsLoader() {
    }

    public static ServerOptions loadFile(Path file) throws ConfigException {
        Set<String> usedVariables = new HashSet<>();
        Map<String, Object> map = ConfigParser.parseFile(file, System::getenv, usedVariables);
        ServerOptions o = new ServerOptions();
        o.configFile = file.toString();
        apply(map, o, usedVariables);
        return o;
    }

    public static ServerOptions load(Map<String, Object> map) throws ConfigException {
        ServerOptions o = new ServerOptions();
        apply(map, o, Set.of());
        return o;
    }

    public static void apply(Map<String, Object> map, ServerOptions o, Set<String> usedVariables)
            throws ConfigException {
        o.configVariables.addAll(usedVariables);
        refuseWhatNeedsTls(map);
        for (Map.Entry<String, Object> e : map.entrySet()) {
            try {
                applyTopLevel(map, e, o);
            } catch (ConfigException ex) {
                // the reference names the place of the key an error is about
                throw POSITIONED.matcher(ex.getMessage()).lookingAt() ? ex
                        : new ConfigException(ConfigMap.at(map, e.getKey()) + ex.getMessage());
            }
        }
        checkAccountReferences(o, map);
        validate(o);
    }

    private static void applyTopLevel(Map<String, Object> map, Map.Entry<String, Object> e, ServerOptions o)
            throws ConfigException {
        String key = e.getKey().toLowerCase(Locale.ROOT);
        Object v = e.getValue();
        switch (key) {
            case "listen" -> {
                HostPort hp = hostPort(v, key);
                if (hp.host != null) {
                    o.host = hp.host;
                }
                o.port = hp.port;
            }
            case "host", "net" -> o.host = string(v, key);
            case "port" -> o.port = intValue(v, key);
            case "http", "monitor" -> {
                HostPort hp = hostPort(v, key);
                o.httpHost = hp.host;
                o.httpPort = hp.port;
            }
            case "http_port", "monitor_port" -> o.httpPort = intValue(v, key);
            case "https" -> {
                HostPort hp = hostPort(v, key);
                o.httpHost = hp.host;
                o.httpsPort = hp.port;
            }
            case "https_port" -> o.httpsPort = intValue(v, key);
            case "server_name" -> o.serverName = string(v, key);
            case "debug" -> o.debug = bool(v, key);
            case "trace", "trace_verbose" -> o.trace = bool(v, key);
            case "logtime" -> o.logtime = bool(v, key);
            case "log_file", "logfile" -> o.logFile = string(v, key);
            case "max_payload" -> o.maxPayload = maxPayload(v, key);
            case "max_control_line" -> o.maxControlLine = intValue(v, key);
            case "max_connections", "max_conn" -> o.maxConnections = intValue(v, key);
            case "max_subscriptions", "max_subs" -> o.maxSubscriptions = intValue(v, key);
            case "max_pending" -> {
                long pending = longValue(v, key);
                o.maxPending = pending == 0 ? ServerOptions.DEFAULT_MAX_PENDING : pending; // as the reference
            }
            case "write_deadline" -> o.writeDeadline = Durations.parse(v, key);
            case "ping_interval" -> o.pingInterval = Durations.parse(v, key);
            case "ping_max" -> o.pingMax = intValue(v, key);
            case "authorization" -> authorization(map(v, key), o, ConfigMap.at(map, e.getKey()));
            case "accounts" -> accounts(map(v, key), o, ConfigMap.at(map, e.getKey()));
            case "system_account", "system" -> o.systemAccount = string(v, key);
            case "no_auth_user" -> o.noAuthUser = string(v, key);
            case "pid_file", "pidfile" -> o.pidFile = string(v, key);
            case "lame_duck_duration" -> {
                o.lameDuckDuration = Durations.parse(v, key);
                if (o.lameDuckDuration.compareTo(Duration.ofSeconds(30)) < 0) {
                    throw new ConfigException("invalid lame_duck_duration of "
                            + GoFormat.duration(o.lameDuckDuration.toNanos()) + ", minimum is 30 seconds");
                }
            }
            case "lame_duck_grace_period" -> {
                Duration grace = Durations.parse(v, key);
                if (grace.isNegative()) {
                    throw new ConfigException("invalid lame_duck_grace_period, needs to be positive");
                }
                if (!grace.isZero()) {
                    o.lameDuckGracePeriod = grace; // 0 means the default, as in the reference
                }
            }
            case "ports_file_dir" -> o.portsFileDir = string(v, key);
            case "client_advertise" -> o.clientAdvertise = string(v, key);
            case "operator", "operators", "roots", "root", "root_operators", "root_operator" ->
                    o.operators.addAll(stringList(v, key));
            case "trusted", "trusted_keys" -> o.trustedKeys.addAll(stringList(v, key));
            case "tls" -> o.tls = tls(map(v, key), "tls", o);
            case "allow_non_tls" -> o.allowNonTls = bool(v, key);
            case "cluster" -> cluster(map(v, key), o.cluster, o);
            case "leafnodes", "leaf" -> leafnodes(map(v, key), o.leaf, o);
            case "websocket", "ws" -> websocket(map(v, key), o.websocket, o);
            case "resolver", "account_resolver", "accounts_resolver" -> resolver(v, o);
            case "mappings", "maps" -> o.mappings.put("$G", mappings(map(v, key)));
            case "http_base_path" -> o.httpBasePath = string(v, key);
            case "no_header_support" -> o.noHeaderSupport = bool(v, key);
            case "max_sub_tokens", "max_subscription_tokens" -> {
                long n = longValue(v, key);
                if (n > 255) {
                    throw new ConfigException(e.getKey() + " value is too big");
                }
                if (n <= 0) {
                    throw new ConfigException(e.getKey() + " value can not be negative");
                }
                o.maxSubTokens = (int) n;
            }
            case "logfile_size_limit", "log_size_limit" -> o.logSizeLimit = longValue(v, key);
            case "server_tags" -> {
                // as the jwt library's TagList: trimmed, lower case, each once
                List<?> tags = v instanceof String one ? List.of(one) : v instanceof List<?> l ? l : null;
                if (tags == null) {
                    throw new ConfigException("error parsing tags: unsupported type " + goType(v));
                }
                for (Object t : tags) {
                    if (!(t instanceof String str)) {
                        throw new ConfigException("error parsing tags: unsupported type " + goType(t)
                                + " where string is expected");
                    }
                    String tag = str.strip().toLowerCase(Locale.ROOT);
                    if (!tag.isEmpty() && !o.serverTags.contains(tag)) {
                        o.serverTags.add(tag);
                    }
                }
            }
            case "resolver_pinned_accounts" -> {
                if (v instanceof String one) {
                    o.resolverPinnedAccounts.add(one);
                } else if (v instanceof List<?> list) {
                    for (Object k : list) {
                        if (!(k instanceof String str)) {
                            throw new ConfigException("error parsing resolver_pinned_accounts: unsupported type in array "
                                    + goType(k));
                        }
                        o.resolverPinnedAccounts.add(str);
                    }
                } else {
                    throw new ConfigException("error parsing resolver_pinned_accounts: unsupported type " + goType(v));
                }
            }
            case "resolver_preload" -> {
                for (Map.Entry<String, Object> p : map(v, key).entrySet()) {
                    o.resolverPreload.put(p.getKey(), string(p.getValue(), key + "." + p.getKey()));
                }
            }
            default -> {
                if (NOT_YET.contains(key)) {
                    o.warnings.add("config option '" + e.getKey() + "' is not supported yet and is ignored");
                } else {
                    unknownField(map, e.getKey(), o);
                }
            }
        }
    }

    /**
     * Every account an import or an export names must be defined, as the reference requires
     * ({@code "B" account not defined for stream import}, at the accounts block's place).
     */
    private static void checkAccountReferences(ServerOptions o, Map<String, Object> top) throws ConfigException {
        String at = top.keySet().stream().filter(k -> k.equalsIgnoreCase("accounts")).findFirst()
                .map(k -> ConfigMap.at(top, k)).orElse("");
        for (Map<String, Object> acc : o.accounts.values()) {
            for (Object item : listOrEmpty(acc.get("exports"))) {
                if (item instanceof Map<?, ?> export) {
                    String kind = export.containsKey("service") ? "service" : "stream";
                    for (Object name : listOrEmpty(export.get("accounts"))) {
                        if (name instanceof String n && !o.accounts.containsKey(n)) {
                            throw new ConfigException(at + "\"" + n + "\" account not defined for " + kind + " export");
                        }
                    }
                }
            }
            for (Object item : listOrEmpty(acc.get("imports"))) {
                if (!(item instanceof Map<?, ?> imp)) {
                    continue;
                }
                for (String kind : List.of("stream", "service")) {
                    if (imp.get(kind) instanceof Map<?, ?> from && from.get("account") instanceof String n
                            && !o.accounts.containsKey(n)) {
                        throw new ConfigException(at + "\"" + n + "\" account not defined for " + kind + " import");
                    }
                }
            }
        }
        // an account token position must point at a wildcard of the export's subject
        for (List<ServerOptions.ExportOption> exports : o.accountExports.values()) {
            for (ServerOptions.ExportOption x : exports) {
                String[] tokens = x.subject().split("\\.", -1);
                int pos = x.accountTokenPosition();
                if (pos > 0 && (pos > tokens.length || !tokens[pos - 1].equals("*"))) {
                    throw new ConfigException(at + "Error adding " + (x.service() ? "service" : "stream") + " export \""
                            + x.subject() + "\": sublist: invalid subject");
                }
            }
        }
        // latency tracking: Singleton services, results on a literal subject that is not a service here
        for (List<ServerOptions.ExportOption> exports : o.accountExports.values()) {
            for (ServerOptions.ExportOption x : exports) {
                if (x.latency() == null) {
                    continue;
                }
                String problem = null;
                if (!Subjects.isValidLiteralSubject(x.latency().subject()) || exports.stream().anyMatch(
                        y -> y.service() && Subjects.isSubsetMatch(x.latency().subject(), y.subject()))) {
                    problem = "invalid publish subject";
                } else if (x.responseType() != null && !x.responseType().equals("Singleton")) {
                    problem = "bad service response type";
                }
                if (problem != null) {
                    throw new ConfigException(at + "Error adding service latency sampling for \"" + x.subject()
                            + "\" on subject \"" + x.latency().subject() + "\": " + problem);
                }
            }
        }
        // every import needs an export of the other account that covers it and lets it in
        for (Map.Entry<String, List<ServerOptions.ImportOption>> e : o.accountImports.entrySet()) {
            for (ServerOptions.ImportOption imp : e.getValue()) {
                String importer = e.getKey();
                boolean authorized = o.accountExports.getOrDefault(imp.account(), List.of()).stream()
                        .anyMatch(x -> x.service() == imp.service() && Subjects.isSubsetMatch(imp.subject(), x.subject())
                                && x.admits(importer, imp.subject()));
                if (!authorized) {
                    String kind = imp.service() ? "service" : "stream";
                    throw new ConfigException(at + "Error adding " + kind + " import \"" + imp.subject() + "\": " + kind
                            + " import not authorized");
                }
            }
        }
    }

    private static List<?> listOrEmpty(Object v) {
        return v instanceof List<?> l ? l : List.of();
    }

    /** As the reference: a key a block does not know stops start-up, unless it is a variable the config uses. */
    private static void unknownField(Map<String, Object> block, String key, ServerOptions o) throws ConfigException {
        if (!o.configVariables.contains(key)) {
            throw new ConfigException(ConfigMap.at(block, key) + "unknown field \"" + key + "\"");
        }
    }

    /** A key no case of a block knows: a warning, unless it defines a variable the config uses. */
    private static void unknown(ServerOptions o, String key, String path) {
        if (!o.configVariables.contains(key)) {
            o.warnings.add("unknown config option '" + path + "' ignored");
        }
    }

    private static void refuseWhatNeedsTls(Map<String, Object> map) throws ConfigException {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            if (NEEDS_TLS.contains(key)) {
                throw new ConfigException("'" + e.getKey() + "' requires TLS, which this server does not support yet:"
                        + " refusing to start rather than serve without it");
            }
            if (BLOCKS_WITH_TLS.contains(key) && e.getValue() instanceof Map<?, ?> block) {
                for (Object k : block.keySet()) {
                    String inner = String.valueOf(k).toLowerCase(Locale.ROOT);
                    if (inner.equals("tls") || inner.equals("verify") || inner.equals("verify_and_map")) {
                        throw new ConfigException("'" + e.getKey() + "." + k + "' requires TLS, which this server"
                                + " does not support yet: refusing to start rather than serve without it");
                    }
                }
            }
        }
    }

    private static Duration positive(Duration d, String key) throws ConfigException {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(key + ": must be a positive duration, got " + d);
        }
        return d;
    }

    /** The {@code cluster {}} block. */
    private static void cluster(Map<String, Object> m, ClusterOptions c, ServerOptions o) throws ConfigException {
        Permissions authPermissions = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            String path = "cluster." + e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "name" -> c.name = string(v, path);
                case "listen" -> {
                    HostPort hp = hostPort(v, path);
                    if (hp.host != null) {
                        c.host = hp.host;
                    }
                    c.port = hp.port;
                }
                case "host", "net" -> c.host = string(v, path);
                case "port" -> c.port = intValue(v, path);
                case "routes" -> {
                    for (String r : stringList(v, path)) {
                        c.routes.add(routeUrl(r, path));
                    }
                }
                case "authorization" -> authPermissions = clusterAuthorization(map(v, path), path, c, o,
                        ConfigMap.at(m, e.getKey()));
                case "no_advertise" -> c.noAdvertise = bool(v, path);
                case "connect_retries" -> c.connectRetries = intValue(v, path);
                case "advertise", "cluster_advertise" -> c.advertise = string(v, path);
                case "tls" -> {
                    c.tls = tls(map(v, path), path, o);
                    if (c.tls.map) {
                        throw new ConfigException("'" + path + ".verify_and_map' (route users from certificates)"
                                + " is not supported yet: refusing to start rather than accept any certificate");
                    }
                }
                case "permissions" -> {
                    c.permissions = permissions(map(v, path), path);
                    if (c.permissions.response() != null) {
                        throw new ConfigException("Cluster permissions do not support dynamic responses");
                    }
                }
                case "pool_size", "compression", "accounts" -> o.warnings.add("config option '" + path
                        + "' is a nats-server 2.10 route option and is ignored");
                default -> unknownField(m, e.getKey(), o);
            }
        }
        if (c.permissions == null) {
            // the cluster block's own permissions win over the deprecated ones inside authorization
            c.permissions = authPermissions;
        }
        if (c.user != null && c.password == null) {
            throw new ConfigException("cluster.authorization.user requires a password");
        }
    }

    /**
     * The cluster's {@code authorization {}}: one user (no tokens, no users list) and a timeout, as
     * the reference; its permissions, deprecated there, are returned for the cluster to use unless it
     * has its own. Unknown keys stop start-up like any authorization block's.
     */
    private static Permissions clusterAuthorization(Map<String, Object> a, String path, ClusterOptions c,
            ServerOptions o, String at) throws ConfigException {
        Permissions permissions = null;
        for (Map.Entry<String, Object> e : a.entrySet()) {
            String ap = path + "." + e.getKey();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "user", "username" -> c.user = string(e.getValue(), ap);
                case "pass", "password" -> c.password = string(e.getValue(), ap);
                case "timeout" -> c.authTimeout = authTimeout(e.getValue(), ap);
                case "token" -> throw new ConfigException(at + "Cluster authorization does not support tokens");
                case "users" -> throw new ConfigException(at + "Cluster authorization does not allow multiple users");
                case "permissions", "default_permissions", "default_permission" -> {
                    permissions = permissions(map(e.getValue(), ap), ap);
                    o.warnings.add(at + "invalid use of field \"authorization\": setting \"permissions\" within cluster"
                            + " authorization block is deprecated");
                }
                default -> unknownField(a, e.getKey(), o);
            }
        }
        return permissions;
    }

    /** A {@code tls {}} block of a listener: the options it supports; the rest fail closed. */
    static TlsOptions tls(Map<String, Object> m, String path, ServerOptions o) throws ConfigException {
        TlsOptions t = tlsBlock(m, path, o);
        if (t.certFile == null || t.keyFile == null) {
            throw new ConfigException(path + ": missing 'cert_file' or 'key_file' in TLS configuration");
        }
        return t;
    }

    /** A dialling side's {@code tls {}}: a certificate only when the other side asks for one. */
    private static TlsOptions clientTls(Map<String, Object> m, String path, ServerOptions o) throws ConfigException {
        TlsOptions t = tlsBlock(m, path, o);
        if ((t.certFile == null) != (t.keyFile == null)) {
            throw new ConfigException(path + ": 'cert_file' and 'key_file' go together");
        }
        return t;
    }

    private static final Pattern PINNED_CERT = Pattern.compile("^[a-f0-9]{64}$");
    private static final Set<String> CONNECTION_TYPES = Set.of("STANDARD", "WEBSOCKET", "LEAFNODE", "LEAFNODE_WS",
            "MQTT", "MQTT_WS");
    /** An account public nkey's shape (the checksum is the resolver's business; config accounts only name it). */
    private static final Pattern ACCOUNT_NKEY = Pattern.compile("^A[A-Z2-7]{55}$");

    private static TlsOptions tlsBlock(Map<String, Object> m, String path, ServerOptions o) throws ConfigException {
        TlsOptions t = new TlsOptions();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String p = path + "." + e.getKey();
            Object v = e.getValue();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "cert_file" -> t.certFile = string(v, p);
                case "key_file" -> t.keyFile = string(v, p);
                case "ca_file" -> t.caFile = string(v, p);
                case "verify" -> t.verify = t.verify || bool(v, p);
                case "verify_and_map" -> {
                    t.map = bool(v, p);
                    t.verify = t.verify || t.map;
                }
                case "timeout" -> t.timeout = authTimeout(v, p);
                case "cipher_suites" -> t.cipherSuites.addAll(stringList(v, p));
                case "min_version" -> {
                    t.minVersion = string(v, p);
                    if (!t.minVersion.equals("1.2") && !t.minVersion.equals("1.3")) {
                        throw new ConfigException(p + ": unsupported TLS version \"" + t.minVersion
                                + "\" (1.2 or 1.3)");
                    }
                }
                case "insecure" -> t.insecure = bool(v, p);
                case "pinned_certs" -> {
                    if (!(v instanceof List<?> pins)) {
                        throw new ConfigException("error parsing tls config, expected 'pinned_certs' to be a list of"
                                + " hex-encoded sha256 of DER encoded SubjectPublicKeyInfo");
                    }
                    for (Object pin : pins) {
                        String entry = String.valueOf(pin).toLowerCase(Locale.ROOT);
                        if (!PINNED_CERT.matcher(entry).matches()) {
                            throw new ConfigException("error parsing tls config, 'pinned_certs' key " + entry
                                    + " does not look like hex-encoded sha256 of DER encoded SubjectPublicKeyInfo");
                        }
                        t.pinnedCerts.add(entry);
                    }
                }
                case "curve_preferences" -> o.warnings.add("config option '" + p
                        + "' is not supported: the TLS engine's curves are used");
                default -> throw new ConfigException("'" + p + "' is not supported yet: refusing to start rather than"
                        + " serve TLS other than configured");
            }
        }
        if (t.verify && t.caFile == null) {
            throw new ConfigException(path + ": 'verify' requires 'ca_file'");
        }
        return t;
    }

    /** The {@code websocket {}} block; what this server cannot do yet stops start-up. */
    private static void websocket(Map<String, Object> m, WebsocketOptions w, ServerOptions o) throws ConfigException {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            String path = "websocket." + e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "listen" -> {
                    HostPort hp = hostPort(v, path);
                    if (hp.host != null) {
                        w.host = hp.host;
                    }
                    w.port = hp.port;
                }
                case "port" -> w.port = intValue(v, path);
                case "host", "net" -> w.host = string(v, path);
                case "advertise" -> w.advertise = string(v, path);
                case "no_tls" -> w.noTls = bool(v, path);
                case "tls" -> {
                    w.tls = tls(map(v, path), path, o);
                    if (w.tls.map) {
                        throw new ConfigException("'" + path + ".verify_and_map' is not supported yet: refusing to"
                                + " start rather than accept any certificate");
                    }
                }
                case "same_origin" -> w.sameOrigin = bool(v, path);
                case "allowed_origins", "allowed_origin", "allow_origins", "allow_origin", "origins", "origin" ->
                        w.allowedOrigins.addAll(stringList(v, path));
                case "handshake_timeout" -> w.handshakeTimeout = Durations.parse(v, path);
                case "compress", "compression" -> w.compression = bool(v, path);
                case "jwt_cookie" -> w.jwtCookie = string(v, path);
                case "authorization", "authentication" -> {
                    for (Map.Entry<String, Object> a : map(v, path).entrySet()) {
                        String ap = path + "." + a.getKey();
                        switch (a.getKey().toLowerCase(Locale.ROOT)) {
                            case "user", "username" -> w.user = string(a.getValue(), ap);
                            case "pass", "password" -> w.password = string(a.getValue(), ap);
                            case "token" -> w.token = string(a.getValue(), ap);
                            case "timeout" -> w.authTimeout = authTimeout(a.getValue(), ap);
                            default -> throw new ConfigException("'" + ap + "' is not supported for websocket"
                                    + " clients: refusing to start rather than let them in on other terms");
                        }
                    }
                }
                case "no_auth_user" -> w.noAuthUser = string(v, path);
                default -> unknownField(m, e.getKey(), o);
            }
        }
        if (w.enabled() && w.tls == null && !w.noTls) {
            throw new ConfigException("websocket requires TLS configuration");
        }
        for (String origin : w.allowedOrigins) {
            try {
                new URI(origin);
            } catch (URISyntaxException ex) {
                throw new ConfigException("unable to parse allowed origin: " + ex.getMessage());
            }
        }
    }

    /** The {@code leafnodes {}} block. */
    private static void leafnodes(Map<String, Object> m, LeafOptions l, ServerOptions o) throws ConfigException {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            String path = "leafnodes." + e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "listen" -> {
                    HostPort hp = hostPort(v, path);
                    if (hp.host != null) {
                        l.host = hp.host;
                    }
                    l.port = hp.port;
                }
                case "host", "net" -> l.host = string(v, path);
                case "port" -> l.port = intValue(v, path);
                case "authorization" -> {
                    Map<String, Object> auth = map(v, path);
                    for (Map.Entry<String, Object> a : auth.entrySet()) {
                        String ap = path + "." + a.getKey();
                        switch (a.getKey().toLowerCase(Locale.ROOT)) {
                            case "user", "username" -> l.user = string(a.getValue(), ap);
                            case "pass", "password" -> l.password = string(a.getValue(), ap);
                            case "account" -> l.account = string(a.getValue(), ap);
                            case "timeout" -> l.authTimeout = authTimeout(a.getValue(), ap);
                            case "users" -> {
                                for (Map<String, Object> u : listOfMaps(a.getValue(), ap)) {
                                    String user = null;
                                    String password = null;
                                    String account = null;
                                    for (Map.Entry<String, Object> f : u.entrySet()) {
                                        String fp = ap + "." + f.getKey();
                                        switch (f.getKey().toLowerCase(Locale.ROOT)) {
                                            case "user", "username" -> user = string(f.getValue(), fp);
                                            case "pass", "password" -> password = string(f.getValue(), fp);
                                            case "account" -> account = string(f.getValue(), fp);
                                            default -> unknownField(u, f.getKey(), o);
                                        }
                                    }
                                    l.users.add(new LeafOptions.User(user, password, account));
                                }
                            }
                            default -> unknownField(auth, a.getKey(), o);
                        }
                    }
                }
                case "tls" -> {
                    l.tls = tls(map(v, path), path, o);
                    if (l.tls.map) {
                        throw new ConfigException("'" + path + ".verify_and_map' (leaf users from certificates)"
                                + " is not supported yet: refusing to start rather than accept any certificate");
                    }
                }
                case "remotes" -> {
                    for (Map<String, Object> r : listOfMaps(v, path)) {
                        l.remotes.add(remote(r, path, o));
                    }
                }
                case "reconnect", "reconnect_delay", "reconnect_interval" -> l.reconnect = Durations.parse(v, path);
                case "advertise", "leafnode_advertise" -> l.advertise = string(v, path);
                case "no_advertise" -> l.noAdvertise = bool(v, path);
                case "compression", "min_version", "minimum_version" -> o.warnings.add("config option '" + path
                        + "' is not supported yet and is ignored");
                default -> unknownField(m, e.getKey(), o);
            }
        }
    }

    private static LeafOptions.Remote remote(Map<String, Object> r, String path, ServerOptions o)
            throws ConfigException {
        List<URI> urls = new ArrayList<>();
        String account = null;
        String creds = null;
        List<String> denyImports = List.of();
        List<String> denyExports = List.of();
        TlsOptions tls = null;
        boolean wsCompression = false;
        boolean wsNoMasking = false;
        boolean hub = false;
        boolean noRandomize = false;
        for (Map.Entry<String, Object> e : r.entrySet()) {
            String p = path + "." + e.getKey();
            switch (e.getKey().toLowerCase(Locale.ROOT)) {
                case "url", "urls" -> {
                    for (String u : stringList(e.getValue(), p)) {
                        urls.add(routeUrl(u, p));
                    }
                }
                case "account", "local" -> account = string(e.getValue(), p);
                case "credentials", "creds" -> creds = string(e.getValue(), p);
                case "deny_imports", "deny_import" -> denyImports = stringList(e.getValue(), p);
                case "deny_exports", "deny_export" -> denyExports = stringList(e.getValue(), p);
                case "tls" -> tls = clientTls(map(e.getValue(), p), p, o);
                case "ws_compress", "ws_compression", "websocket_compress", "websocket_compression" ->
                        wsCompression = bool(e.getValue(), p);
                case "ws_no_masking", "websocket_no_masking" -> wsNoMasking = bool(e.getValue(), p);
                case "hub" -> hub = bool(e.getValue(), p);
                case "no_randomize", "dont_randomize" -> noRandomize = bool(e.getValue(), p);
                case "jetstream_cluster_migrate", "js_cluster_migrate" -> o.warnings.add("config option '" + p
                        + "' is not supported yet and is ignored");
                default -> throw new ConfigException(ConfigMap.at(r, e.getKey()) + "unknown field \"" + e.getKey() + "\"");
            }
        }
        if (urls.isEmpty()) {
            throw new ConfigException(path + ": a remote needs a url");
        }
        return new LeafOptions.Remote(urls, account, creds, denyImports, denyExports, tls, wsCompression,
                wsNoMasking, hub, noRandomize);
    }

    /** A route URL: {@code nats-route://[user:pass@]host:port} (nats:// is accepted too). */
    public static URI routeUrl(String s, String path) throws ConfigException {
        try {
            URI u = new URI(s.trim());
            if (u.getHost() == null || u.getPort() <= 0) {
                throw new ConfigException(path + ": route URL \"" + s + "\" needs a host and a port");
            }
            return u;
        } catch (URISyntaxException ex) {
            throw new ConfigException(path + ": bad route URL \"" + s + "\": " + ex.getMessage());
        }
    }

    /** {@code resolver: MEMORY}, {@code URL(http://...)}, or a map with {@code type: full|cache}. */
    private static void resolver(Object v, ServerOptions o) throws ConfigException {
        if (v instanceof String str) {
            String t = str.trim();
            if (t.equalsIgnoreCase("MEMORY")) {
                o.resolverType = "MEMORY";
            } else if (t.regionMatches(true, 0, "URL(", 0, 4) && t.endsWith(")")) {
                o.resolverType = "URL";
                String url = t.substring(4, t.length() - 1).trim();
                if (url.length() >= 2 && url.startsWith("\"") && url.endsWith("\"")) {
                    url = url.substring(1, url.length() - 1).trim(); // URL("http://..."), as the reference reads it
                }
                o.resolverUrl = url;
            } else {
                throw new ConfigException("resolver: expected MEMORY, URL(<url>) or a map with a type, got \"" + t + "\"");
            }
            return;
        }
        Map<String, Object> m = map(v, "resolver");
        String type = m.containsKey("type") ? string(m.get("type"), "resolver.type").toLowerCase() : "full";
        if (!type.equals("full") && !type.equals("cache")) {
            throw new ConfigException("resolver.type: expected full or cache, got \"" + type + "\"");
        }
        o.resolverType = type;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String k = "resolver." + e.getKey();
            switch (e.getKey().toLowerCase()) {
                case "type" -> { }
                case "dir" -> o.resolverDir = string(e.getValue(), k);
                case "allow_delete" -> o.resolverAllowDelete = bool(e.getValue(), k);
                case "limit" -> o.resolverLimit = intValue(e.getValue(), k);
                case "interval" -> o.resolverInterval = positive(Durations.parse(e.getValue(), k), k);
                case "timeout" -> o.resolverTimeout = positive(Durations.parse(e.getValue(), k), k);
                case "ttl" -> o.resolverTtl = Durations.parse(e.getValue(), k);
                default -> unknown(o, e.getKey(), k);
            }
        }
    }

    private static void validate(ServerOptions o) throws ConfigException {
        if (o.maxPayload <= 0) {
            throw new ConfigException("max_payload must be positive");
        }
        if (o.maxPayload > o.maxPending) {
            throw new ConfigException("max_payload (" + o.maxPayload + ") cannot be higher than max_pending ("
                    + o.maxPending + ")");
        }
        if (o.maxControlLine <= 0) {
            throw new ConfigException("max_control_line must be positive");
        }
        if (o.port < -1 || o.port > 65535) {
            throw new ConfigException("invalid port " + o.port);
        }
    }

    /** {@code at}: the block's place as a message prefix ("file:line:col: "), as the reference reports it. */
    private static void authorization(Map<String, Object> m, ServerOptions o, String at) throws ConfigException {
        Permissions defaults = null;
        List<Map<String, Object>> userMaps = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            String path = "authorization." + e.getKey();
            Object v = e.getValue();
            switch (key) {
                case "user", "username" -> o.authUser = string(v, path);
                case "pass", "password" -> o.authPassword = string(v, path);
                case "token" -> o.authToken = string(v, path);
                case "timeout" -> o.authTimeout = authTimeout(v, path);
                case "permissions", "default_permissions", "default_permission" ->
                        defaults = permissions(map(v, path), path);
                case "users" -> userMaps = listOfMaps(v, path);
                default -> unknownField(m, e.getKey(), o);
            }
        }
        if ((o.authUser != null || o.authPassword != null) && o.authToken != null) {
            throw new ConfigException(at + "Cannot have a user/pass and token");
        }
        if (o.authUser != null && o.authPassword == null) {
            // the reference would start with a user that any password opens: refused instead
            throw new ConfigException(at + "authorization.user requires a password");
        }
        if (o.authUser != null && (userMaps != null || !o.users.isEmpty())) {
            throw new ConfigException(at + "Can not have a single user/pass and a users array");
        }
        if (o.authToken != null && (userMaps != null || !o.users.isEmpty())) {
            throw new ConfigException(at + "Can not have a token and a users array");
        }
        if (o.authUser != null) {
            o.users.add(new UserEntry(o.authUser, o.authPassword, null, null, defaults));
        }
        if (o.authToken != null) {
            o.authTokenPermissions = defaults;
        }
        if (userMaps != null) {
            addUsers(o, users(userMaps, null, defaults, "authorization.users"), at);
        }
    }

    /** Adds users, refusing a name or nkey given twice anywhere (accounts included), as the reference does. */
    private static void addUsers(ServerOptions o, List<UserEntry> users, String at) throws ConfigException {
        Set<String> seen = new HashSet<>();
        for (UserEntry u : o.users) {
            seen.add(u.nkey() != null ? u.nkey() : u.username());
        }
        for (UserEntry u : users) {
            if (u.nkey() != null ? !seen.add(u.nkey()) : !seen.add(u.username())) {
                throw new ConfigException(at + (u.nkey() != null ? "Duplicate nkey \"" + u.nkey() + "\" detected"
                        : "Duplicate user \"" + u.username() + "\" detected"));
            }
        }
        o.users.addAll(users);
    }

    /** An account's {@code exports}: {@code {stream|service: subject, accounts, response_type}}. */
    private static List<ServerOptions.ExportOption> exports(Object v, String path) throws ConfigException {
        List<ServerOptions.ExportOption> out = new ArrayList<>();
        for (Map<String, Object> e : listOfMaps(v, path)) {
            String subject = null;
            Boolean service = null;
            String response = null;
            List<String> accounts = null;
            Duration threshold = null;
            String thresholdKey = null;
            int tokenPosition = 0;
            ServerOptions.LatencyOption latency = null;
            String latencyKey = null;
            for (Map.Entry<String, Object> f : e.entrySet()) {
                String fp = path + "." + f.getKey();
                switch (f.getKey().toLowerCase(Locale.ROOT)) {
                    case "stream" -> {
                        subject = string(f.getValue(), fp);
                        service = false;
                    }
                    case "service" -> {
                        subject = string(f.getValue(), fp);
                        service = true;
                    }
                    case "accounts" -> accounts = stringList(f.getValue(), fp);
                    case "response", "response_type" -> response = switch (string(f.getValue(), fp)
                            .toLowerCase(Locale.ROOT)) {
                        case "single", "singleton" -> "Singleton";
                        case "stream" -> "Stream";
                        case "chunk", "chunked" -> "Chunked";
                        default -> throw new ConfigException(ConfigMap.at(e, f.getKey())
                                + "Unknown response type: \"" + f.getValue() + "\"");
                    };
                    case "threshold", "response_threshold", "response_max_time", "response_time" -> {
                        if (threshold != null) {
                            throw new ConfigException(ConfigMap.at(e, f.getKey()) + "Duplicate response threshold detected");
                        }
                        thresholdKey = f.getKey();
                        if (!(f.getValue() instanceof String text)) {
                            throw new ConfigException(ConfigMap.at(e, f.getKey()) + "Expected response threshold to be a"
                                    + " parseable time duration, got " + goType(f.getValue()));
                        }
                        try {
                            threshold = Durations.parse(text, fp);
                        } catch (ConfigException bad) {
                            throw new ConfigException(ConfigMap.at(e, f.getKey()) + "Expected response threshold to be a"
                                    + " parseable time duration, got \"" + text + "\"");
                        }
                    }
                    case "account_token_position" -> tokenPosition = intValue(f.getValue(), fp);
                    case "latency" -> {
                        latency = latency(f.getValue(), ConfigMap.at(e, f.getKey()));
                        latencyKey = f.getKey();
                    }
                    default -> throw new ConfigException(ConfigMap.at(e, f.getKey()) + "unknown field \"" + f.getKey()
                            + "\"");
                }
            }
            if (service == null) {
                throw new ConfigException(path + ": an export needs a 'stream' or a 'service' subject");
            }
            if (!service && threshold != null) {
                throw new ConfigException(ConfigMap.at(e, thresholdKey) + "Detected response directive on non-service");
            }
            if (!service && latency != null) {
                throw new ConfigException(ConfigMap.at(e, latencyKey) + "Detected latency directive on non-service");
            }
            out.add(new ServerOptions.ExportOption(subject, service, response, accounts, tokenPosition,
                    threshold == null ? 0 : threshold.toNanos(), latency));
        }
        return out;
    }

    /**
     * An export's {@code latency}: a results subject (every request sampled) or {@code {sampling:
     * 1-100 | "N%" | "headers", subject}}, with the reference's words for what is wrong.
     */
    private static ServerOptions.LatencyOption latency(Object v, String at) throws ConfigException {
        if (v instanceof String subject) {
            return new ServerOptions.LatencyOption(100, subject);
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new ConfigException(at + "Expected latency entry to be a map/struct or string, got " + goType(v));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        int sampling = 100;
        if (m.containsKey("sampling")) {
            String sat = ConfigMap.at(m, "sampling");
            Object sv = m.get("sampling");
            boolean headers = false;
            if (sv instanceof Long n) {
                sampling = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
            } else if (sv instanceof String text) {
                if (text.trim().equalsIgnoreCase("headers")) {
                    headers = true;
                    sampling = 0;
                } else {
                    String number = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
                    try {
                        sampling = Integer.parseInt(number);
                    } catch (NumberFormatException bad) {
                        throw new ConfigException(sat + "Failed to parse latency sample: strconv.Atoi: parsing \""
                                + number + "\": invalid syntax");
                    }
                }
            } else {
                throw new ConfigException(sat + "Expected latency sample to be a string or map/struct, got "
                        + goType(sv));
            }
            if (!headers && (sampling < 1 || sampling > 100)) {
                throw new ConfigException(sat + "bad sampling percentage, should be 1-100");
            }
        }
        if (!m.containsKey("subject")) {
            throw new ConfigException(at + "Latency subject required, but missing");
        }
        if (!(m.get("subject") instanceof String subject)) {
            // sic: the reference prints the type of its empty string, not of the value
            throw new ConfigException(ConfigMap.at(m, "subject") + "Expected latency subject to be a string, got string");
        }
        return new ServerOptions.LatencyOption(sampling, subject);
    }

    /** An account's {@code imports}: {@code {stream|service: {account, subject}, to, prefix}}. */
    private static List<ServerOptions.ImportOption> imports(Object v, String path) throws ConfigException {
        List<ServerOptions.ImportOption> out = new ArrayList<>();
        for (Map<String, Object> i : listOfMaps(v, path)) {
            boolean share = false;
            Boolean service = null;
            String account = null;
            String subject = null;
            String to = null;
            String prefix = null;
            for (Map.Entry<String, Object> f : i.entrySet()) {
                String fp = path + "." + f.getKey();
                switch (f.getKey().toLowerCase(Locale.ROOT)) {
                    case "stream", "service" -> {
                        boolean isService = f.getKey().equalsIgnoreCase("service");
                        if (service != null) {
                            throw new ConfigException(ConfigMap.at(i, f.getKey()) + (isService
                                    ? "Detected service but already saw a stream" : "Detected stream but already saw a service"));
                        }
                        service = isService;
                        Map<String, Object> from = map(f.getValue(), fp);
                        for (Map.Entry<String, Object> a : from.entrySet()) {
                            switch (a.getKey().toLowerCase(Locale.ROOT)) {
                                case "account" -> account = string(a.getValue(), fp + ".account");
                                case "subject" -> subject = string(a.getValue(), fp + ".subject");
                                default -> throw new ConfigException(ConfigMap.at(from, a.getKey())
                                        + "unknown field \"" + a.getKey() + "\"");
                            }
                        }
                        if (account == null || account.isEmpty() || subject == null || subject.isEmpty()) {
                            throw new ConfigException(ConfigMap.at(i, f.getKey()) + "Expect an account name and a subject");
                        }
                    }
                    case "to" -> to = string(f.getValue(), fp);
                    case "prefix" -> prefix = string(f.getValue(), fp);
                    case "share" -> share = bool(f.getValue(), fp);
                    default -> throw new ConfigException(ConfigMap.at(i, f.getKey()) + "unknown field \"" + f.getKey()
                            + "\"");
                }
            }
            if (service == null) {
                throw new ConfigException(path + ": an import needs a 'stream' or a 'service'");
            }
            if (!service && to != null && prefix != null) {
                throw new ConfigException("Stream import can not have a 'prefix' and a 'to' property");
            }
            out.add(new ServerOptions.ImportOption(service, account, subject, to, prefix, share));
        }
        return out;
    }

    /** The name Go's {@code %T} gives a value of the config (as its parser produces it). */
    private static String goType(Object v) {
        if (v instanceof Long) {
            return "int64";
        }
        if (v instanceof Double) {
            return "float64";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Map) {
            return "map[string]interface {}";
        }
        if (v instanceof List) {
            return "[]interface {}";
        }
        return "<nil>";
    }

    /** An account's {@code limits {}}, with the reference's errors. */
    private static ServerOptions.AccountLimitOptions accountLimits(Object v, String at) throws ConfigException {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ConfigException(at + "Expected account limits to be a map/struct, got " + v);
        }
        int conns = -1;
        int subs = -1;
        int payload = -1;
        int leafs = -1;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            String kat = m instanceof ConfigMap c ? ConfigMap.at(c, k) : at;
            if (!(e.getValue() instanceof Long n)) {
                throw new ConfigException(kat + "account limit \"" + k + "\" must be a number, got " + e.getValue());
            }
            int value = (int) (long) n; // the reference keeps these as int32
            switch (k.toLowerCase(Locale.ROOT)) {
                case "max_connections", "max_conn" -> conns = value;
                case "max_subscriptions", "max_subs" -> subs = value;
                case "max_payload", "max_pay" -> payload = value;
                case "max_leafnodes", "max_leafs" -> leafs = value;
                default -> throw new ConfigException(kat + "Unknown field \"" + k + "\" parsing account limits");
            }
        }
        return new ServerOptions.AccountLimitOptions(conns, subs, payload, leafs);
    }

    /**
     * A {@code mappings {}} block (top level: the global account; or an account's), read and
     * checked as the reference reads it: {@code subject: destination}, a destination map
     * {@code {destination, weight, cluster}} or a list of them; errors name the mapping's place.
     */
    private static SubjectMappings mappings(Map<String, Object> m) throws ConfigException {
        SubjectMappings.Builder b = SubjectMappings.builder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String source = e.getKey();
            String at = ConfigMap.at(m, source);
            if (!Subjects.isValidSubscribeSubject(source)) {
                throw new ConfigException(at + "Subject \"" + source + "\" is not a valid subject");
            }
            List<SubjectMappings.Destination> to = new ArrayList<>();
            String shown;
            Object v = e.getValue();
            if (v instanceof String dest) {
                to.add(new SubjectMappings.Destination(dest, 100, null));
                shown = dest;
            } else if (v instanceof List<?> list) {
                for (Object d : list) {
                    to.add(mapDestination(d, at));
                }
                shown = to.stream().map(SubjectMappings.Destination::subject).toList().toString();
            } else if (v instanceof Map<?, ?>) {
                to.add(mapDestination(v, at));
                shown = to.get(0).subject();
            } else {
                throw new ConfigException(at + "Unknown type " + (v == null ? "<nil>" : v.getClass().getSimpleName()) + " for mapping destination");
            }
            try {
                b.add(source, to);
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(at + "Error adding mapping for \"" + source + "\" to \"" + shown + "\" : "
                        + ex.getMessage());
            }
        }
        return b.build();
    }

    private static SubjectMappings.Destination mapDestination(Object v, String at) throws ConfigException {
        if (!(v instanceof Map<?, ?> raw)) {
            throw new ConfigException(at + "Expected an entry for the mapping destination");
        }
        String subject = null;
        Integer weight = null;
        String cluster = null;
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object x = e.getValue();
            switch (k.toLowerCase(Locale.ROOT)) {
                case "dest", "destination" -> subject = string(x, k);
                case "weight" -> {
                    long w;
                    if (x instanceof String str) {
                        String digits = str.endsWith("%") ? str.substring(0, str.length() - 1) : str;
                        try {
                            w = Long.parseLong(digits);
                        } catch (NumberFormatException nf) {
                            throw new ConfigException(at + "Invalid weight \"" + digits + "\" for mapping destination");
                        }
                    } else if (x instanceof Long l) {
                        w = l;
                    } else {
                        throw new ConfigException(at + "Unknown entry type for weight of " + x);
                    }
                    if (w > 100 || w < 0) {
                        throw new ConfigException(at + "Invalid weight " + w + " for mapping destination");
                    }
                    weight = (int) w;
                }
                case "cluster" -> cluster = string(x, k);
                default -> throw new ConfigException(at + "Unknown field \"" + k + "\" for mapping destination");
            }
        }
        if (weight == null) {
            throw new ConfigException(at + "Missing weight for mapping destination \"" + (subject == null ? "" : subject)
                    + "\"");
        }
        return new SubjectMappings.Destination(subject == null ? "" : subject, weight, cluster);
    }

    private static Duration authTimeout(Object v, String path) throws ConfigException {
        if (v instanceof Long l) {
            return Duration.ofSeconds(l);
        }
        if (v instanceof Double d) {
            return Duration.ofNanos((long) (d * 1e9));
        }
        return Durations.parse(v, path);
    }

    private static void accounts(Map<String, Object> m, ServerOptions o, String at) throws ConfigException {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String name = e.getKey();
            String path = "accounts." + name;
            Map<String, Object> acc = map(e.getValue(), path);
            o.accounts.put(name, acc);
            Permissions defaults = null;
            for (Map.Entry<String, Object> k : acc.entrySet()) {
                String kp = path + "." + k.getKey();
                Object v = k.getValue();
                switch (k.getKey().toLowerCase(Locale.ROOT)) {
                    case "users" -> {
                        // below, after the account's default permissions
                    }
                    case "exports" -> o.accountExports.put(name, exports(v, kp));
                    case "imports" -> o.accountImports.put(name, imports(v, kp));
                    case "mappings", "maps" -> o.mappings.put(name, mappings(map(v, kp)));
                    case "limits" -> o.accountLimits.put(name, accountLimits(v, ConfigMap.at(acc, k.getKey())));
                    case "default_permissions" -> defaults = permissions(map(v, kp), kp);
                    case "nkey" -> {
                        if (!(v instanceof String nk) || !ACCOUNT_NKEY.matcher(nk).matches()) {
                            throw new ConfigException(ConfigMap.at(acc, k.getKey())
                                    + "Not a valid public nkey for an account: \"" + v + "\"");
                        }
                    }
                    case "jetstream" -> o.warnings.add("config option '" + kp + "' is not supported yet and is ignored");
                    default -> unknownField(acc, k.getKey(), o);
                }
            }
            Object users = acc.get("users");
            if (users != null) {
                String usersAt = ConfigMap.at(acc, acc.keySet().stream().filter("users"::equals).findFirst().orElse(""));
                addUsers(o, users(listOfMaps(users, path + ".users"), name, defaults, path + ".users"), usersAt);
            }
        }
    }

    /**
     * {@code allowed_connection_types}: the reference's names, any case; an unknown one is refused
     * (as the reference refuses it) rather than left to let nobody, or anybody, in.
     */
    private static Set<String> connectionTypes(Object v, String at) throws ConfigException {
        Set<String> types = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String t : stringList(v, "allowed_connection_types")) {
            String upper = t.toUpperCase(Locale.ROOT);
            if (CONNECTION_TYPES.contains(upper)) {
                types.add(upper);
            } else {
                unknown.add("\"" + upper + "\"");
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException(at + "invalid connection types [" + String.join(" ", unknown) + "]");
        }
        return types;
    }

    private static List<UserEntry> users(List<Map<String, Object>> maps, String account, Permissions defaults,
                                         String path) throws ConfigException {
        List<UserEntry> out = new ArrayList<>();
        int i = 0;
        for (Map<String, Object> u : maps) {
            String p = path + "[" + i++ + "]";
            String user = null;
            String pass = null;
            String nkey = null;
            Permissions perms = defaults;
            Set<String> types = Set.of();
            for (Map.Entry<String, Object> e : u.entrySet()) {
                String key = e.getKey().toLowerCase(Locale.ROOT);
                switch (key) {
                    case "user", "username" -> user = string(e.getValue(), p + ".user");
                    case "pass", "password" -> pass = string(e.getValue(), p + ".password");
                    case "nkey" -> nkey = string(e.getValue(), p + ".nkey");
                    case "permissions", "permission", "authorization" -> perms = permissions(
                            map(e.getValue(), p + ".permissions"), p + ".permissions");
                    case "account" -> account = string(e.getValue(), p + ".account");
                    case "allowed_connection_types", "connection_types", "clients" ->
                            types = connectionTypes(e.getValue(), ConfigMap.at(u, e.getKey()));
                    default -> throw new ConfigException(ConfigMap.at(u, e.getKey()) + "unknown field \"" + e.getKey() + "\"");
                }
            }
            if (user == null && nkey == null) {
                throw new ConfigException(p + ": a user needs 'user' or 'nkey'");
            }
            out.add(new UserEntry(user, pass, nkey, account, perms, types));
        }
        return out;
    }

    static Permissions permissions(Map<String, Object> m, String path) throws ConfigException {
        SubjectPermission pub = null;
        SubjectPermission sub = null;
        ResponsePermission resp = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            String p = path + "." + e.getKey();
            switch (key) {
                case "publish", "pub", "import" -> pub = subjectPermission(e.getValue(), p);
                case "subscribe", "sub", "export" -> sub = subjectPermission(e.getValue(), p);
                case "allow_responses", "allow_response" -> resp = responsePermission(e.getValue(), p);
                default -> throw new ConfigException("unknown field '" + e.getKey() + "' in " + path);
            }
        }
        return new Permissions(pub, sub, resp);
    }

    private static SubjectPermission subjectPermission(Object v, String path) throws ConfigException {
        if (v instanceof String || v instanceof List) {
            return new SubjectPermission(stringList(v, path), null);
        }
        Map<String, Object> m = map(v, path);
        List<String> allow = null;
        List<String> deny = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            switch (key) {
                case "allow" -> allow = stringList(e.getValue(), path + ".allow");
                case "deny" -> deny = stringList(e.getValue(), path + ".deny");
                default -> throw new ConfigException("unknown field '" + e.getKey() + "' in " + path);
            }
        }
        return new SubjectPermission(allow, deny);
    }

    private static ResponsePermission responsePermission(Object v, String path) throws ConfigException {
        if (v instanceof Boolean b) {
            return b ? ResponsePermission.DEFAULT : null;
        }
        Map<String, Object> m = map(v, path);
        int max = ResponsePermission.DEFAULT.maxMessages();
        Duration expires = Duration.ZERO;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String key = e.getKey().toLowerCase(Locale.ROOT);
            switch (key) {
                case "max", "max_msgs", "max_messages", "max_responses" -> max = intValue(e.getValue(), path + ".max");
                case "expires", "expiration", "ttl" -> expires = Durations.parse(e.getValue(), path + ".expires");
                default -> throw new ConfigException("unknown field '" + e.getKey() + "' in " + path);
            }
        }
        return new ResponsePermission(max, expires);
    }

    private record HostPort(String host, int port) {
    }

    private static HostPort hostPort(Object v, String key) throws ConfigException {
        if (v instanceof Long) {
            return new HostPort(null, intValue(v, key));
        }
        String s = string(v, key);
        int colon = s.lastIndexOf(':');
        try {
            if (colon < 0) {
                return new HostPort(null, Integer.parseInt(s));
            }
            return new HostPort(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid '" + key + "': expected host:port, got '" + s + "'");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v, String key) throws ConfigException {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new ConfigException("'" + key + "' must be a map, got " + describe(v));
    }

    private static List<Map<String, Object>> listOfMaps(Object v, String key) throws ConfigException {
        if (!(v instanceof List<?> l)) {
            throw new ConfigException("'" + key + "' must be an array, got " + describe(v));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        int i = 0;
        for (Object o : l) {
            out.add(map(o, key + "[" + i++ + "]"));
        }
        return out;
    }

    private static List<String> stringList(Object v, String key) throws ConfigException {
        if (v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                out.add(string(o, key));
            }
            return out;
        }
        throw new ConfigException("'" + key + "' must be a string or an array of strings, got " + describe(v));
    }

    static String string(Object v, String key) throws ConfigException {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
            return String.valueOf(v);
        }
        throw new ConfigException("'" + key + "' must be a string, got " + describe(v));
    }

    static boolean bool(Object v, String key) throws ConfigException {
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ConfigException("'" + key + "' must be a boolean, got " + describe(v));
    }

    static long longValue(Object v, String key) throws ConfigException {
        if (v instanceof Long l) {
            return l;
        }
        throw new ConfigException("'" + key + "' must be an integer, got " + describe(v));
    }

    /** The reference's int32 max_payload; 0 means the default (1 MB), as it does. */
    private static int maxPayload(Object v, String key) throws ConfigException {
        long l = longValue(v, key);
        if (l > Integer.MAX_VALUE) {
            throw new ConfigException(key + " value is too big");
        }
        return l == 0 ? ServerOptions.DEFAULT_MAX_PAYLOAD : intValue(v, key);
    }

    static int intValue(Object v, String key) throws ConfigException {
        long l = longValue(v, key);
        if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            throw new ConfigException("'" + key + "' is out of range: " + l);
        }
        return (int) l;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " '" + v + "'";
    }
}
