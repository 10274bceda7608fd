package io.natsjvm.server.config;

import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.auth.UserEntry;
import io.natsjvm.server.delivery.SubjectMappings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * Everything the server is configured with, defaults as in nats-server 2.9.10. Filled by
 * {@link OptionsLoader} and the command line, then read-only once the server starts.
 */
public final class ServerOptions {
    public String host = "0.0.0.0";
    public int port = 4222;
    /** Monitoring port; 0 = off. */
    public int httpPort = 0;
    /** Monitoring over HTTPS with the {@code tls {}} certificate (no client certificates asked). */
    public int httpsPort = 0;
    public String httpHost = null;
    public String serverName = null;

    public boolean debug;
    public boolean trace;
    public boolean logtime = true;
    public String logFile;

    public static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    public static final long DEFAULT_MAX_PENDING = 64L * 1024 * 1024;
    public int maxPayload = DEFAULT_MAX_PAYLOAD;
    public int maxControlLine = 4096;
    public int maxConnections = 64 * 1024;
    /** Per-connection subscription limit; 0 = unlimited. */
    public int maxSubscriptions = 0;
    public long maxPending = DEFAULT_MAX_PENDING;
    public Duration writeDeadline = Duration.ofSeconds(10);
    public Duration pingInterval = Duration.ofMinutes(2);
    public int pingMax = 2;
    public Duration authTimeout = Duration.ofSeconds(2);

    // authorization { }
    public String authUser;
    public String authPassword;
    public String authToken;
    public Permissions authTokenPermissions;
    public final List<UserEntry> users = new ArrayList<>();
    public String noAuthUser;

    // accounts { } and system_account (the account layer builds on these)
    public final Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
    /**
     * An account's {@code limits {}} in the config (-1: no limit), as the reference reads them:
     * connections (leafs and other servers' connections count), subscriptions per connection,
     * payload, leaf nodes.
     */
    public record AccountLimitOptions(int maxConnections, int maxSubscriptions, int maxPayload, int maxLeafnodes) {
    }

    /**
     * An account's export in the config: a stream or service subject, the service's response
     * type (Singleton, Stream, Chunked) and the accounts allowed to import it (null: any); with an
     * account token position (1-based, 0: none) an importer must name itself at that token; a
     * service's response threshold (0: the default) and latency tracking (null: none).
     */
    public record ExportOption(String subject, boolean service, String responseType, List<String> accounts,
            int accountTokenPosition, long responseThresholdNanos, LatencyOption latency) {
        /** As nats-server: a token position decides alone; otherwise the accounts list, if any. */
        public boolean admits(String importer, String importSubject) {
            if (accountTokenPosition > 0) {
                String[] tokens = importSubject.split("\\.", -1);
                return accountTokenPosition <= tokens.length && tokens[accountTokenPosition - 1].equals(importer);
            }
            return accounts == null || accounts.contains(importer);
        }
    }

    /** A service export's latency tracking: percent of requests sampled (0: by tracing headers), results subject. */
    public record LatencyOption(int sampling, String subject) {
    }

    /**
     * An account's import in the config: from {@code account}'s {@code subject}; {@code to} is
     * where it appears here (a stream's remap, a service's local subject), {@code prefix} a
     * stream's older prefix form; {@code share} gives a service the requester's details.
     */
    public record ImportOption(boolean service, String account, String subject, String to, String prefix,
            boolean share) {
    }

    /** Config accounts' exports and imports by account name (checked against each other at load). */
    public final Map<String, List<ExportOption>> accountExports = new LinkedHashMap<>();
    public final Map<String, List<ImportOption>> accountImports = new LinkedHashMap<>();

    /** {@code no_header_support}: INFO says headers:false and clients' headers stay off. */
    public boolean noHeaderSupport;

    /** {@code max_sub_tokens}: most tokens a subscription's subject may have (0: any). */
    public int maxSubTokens;

    /** {@code logfile_size_limit}: bytes after which the log file is rotated (0: never). */
    public long logSizeLimit;

    /** {@code http_base_path}: monitoring endpoints under this path (as configured; "" for the root). */
    public String httpBasePath = "";

    /** The base path as the reference serves it: leading slash, cleaned ("/" for none). */
    public String monitorBasePath() {
        if (httpBasePath == null || httpBasePath.isEmpty()) {
            return "/";
        }
        String p = URI.create("/" + httpBasePath.replaceFirst("^/+", "")).normalize().getPath();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** {@code server_tags}: trimmed, lower case, each once (VARZ, events, PING filters). */
    public final List<String> serverTags = new ArrayList<>();

    /** {@code resolver_pinned_accounts}: in operator mode, only users of these accounts log in (empty: any). */
    public final Set<String> resolverPinnedAccounts = new LinkedHashSet<>();

    /** Config accounts' limits by account name. */
    public final Map<String, AccountLimitOptions> accountLimits = new LinkedHashMap<>();
    /** Subject mappings by account name ({@code $G}: the top-level {@code mappings}); checked at load. */
    public final Map<String, SubjectMappings> mappings = new LinkedHashMap<>();
    public String systemAccount;

    // Decentralized (JWT) auth: operator JWTs or files, extra trusted keys, the account resolver.
    public final List<String> operators = new ArrayList<>();
    public final List<String> trustedKeys = new ArrayList<>();
    /** MEMORY, URL, full or cache; null when no resolver is configured. */
    public String resolverType;
    public String resolverUrl;
    public String resolverDir;
    public boolean resolverAllowDelete;
    /** Most accounts a cache resolver keeps (the full resolver keeps all). */
    public int resolverLimit = 1000;
    /** Full resolver: how often the store is compared with the cluster's (PACK). */
    public Duration resolverInterval = Duration.ofMinutes(1);
    /** How long a lookup of a missing account waits for the cluster. */
    public Duration resolverTimeout = Duration.ofMillis(1900);
    /** Cache resolver: how long a fetched account is kept (0: until evicted by the limit). */
    public Duration resolverTtl = Duration.ZERO;
    public final Map<String, String> resolverPreload = new LinkedHashMap<>();

    /** {@code tls {}} for the client listener, or null for plain TCP. */
    public TlsOptions tls;
    /** {@code allow_non_tls}: with {@code tls {}}, clients may also stay in plain text (INFO tls_available). */
    public boolean allowNonTls;

    /** {@code leafnodes {}}: leaf node listener and remotes. */
    public final LeafOptions leaf = new LeafOptions();

    /** {@code websocket {}}: NATS over WebSocket for browsers and nats.ws. */
    public final WebsocketOptions websocket = new WebsocketOptions();
    /** {@code cluster {}}: routes to other servers. */
    public final ClusterOptions cluster = new ClusterOptions();

    public boolean operatorMode() {
        return !operators.isEmpty() || !trustedKeys.isEmpty();
    }

    /** Non-fatal findings while loading (unknown keys and the like), for the log. */
    /** Lame duck mode: clients are closed spread over this duration (minimum 30 s, as the reference). */
    public Duration lameDuckDuration = Duration.ofMinutes(2);
    /** Lame duck mode: nothing is closed during this first period (clients move on their own). */
    public Duration lameDuckGracePeriod = Duration.ofSeconds(10);
    /** {@code pid_file} / {@code -P}: the process id is written there once the server runs. */
    public String pidFile;
    /** {@code ports_file_dir}: {@code <executable>_<pid>.ports} with the listen URLs, removed at exit. */
    public String portsFileDir;
    /** {@code client_advertise}: accepted; used in connect_urls once clustering exists. */
    public String clientAdvertise;
    public final List<String> warnings = new ArrayList<>();
    /** Names of config variables that were referenced: their definitions are not unknown options. */
    public final Set<String> configVariables = new HashSet<>();
    /** Path of the config file, if any. */
    public String configFile;

    /** Effective host for the monitoring listener. */
    public String monitorHost() {
        return httpHost != null ? httpHost : host;
    }

    public boolean authConfigured() {
        return authToken != null || authUser != null || !users.isEmpty();
    }
}
