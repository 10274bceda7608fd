package io.natsjvm.server.cli;

import io.natsjvm.server.auth.UserEntry;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.config.TlsOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every flag of nats-server 2.9.10, parsed as Go's flag package does ({@code -x} or {@code --x},
 * {@code -x=v} or {@code -x v}, booleans only as {@code -x} or {@code -x=false}). Flags for
 * features this server does not have yet are accepted with a warning (JetStream,
 * syslog, profiling); TLS flags stop start-up, as TLS settings in a config file do. Values given
 * here override the config file: they are applied after it is loaded.
 */
final class CommandLine {
    private enum Kind { BOOL, STRING, INT }

    private record Flag(Kind kind, Setter setter) {
    }

    @FunctionalInterface
    private interface Setter {
        void set(CommandLine c, String value);
    }

    private static final Map<String, Flag> FLAGS = new LinkedHashMap<>();

    static {
        bool(c -> c.help = true, "h", "help");
        bool(c -> c.version = true, "v", "version");
        bool(c -> c.checkConfig = true, "t");
        bool(c -> c.showTlsHelp = true, "help_tls");
        bool(c -> c.options.add(o -> o.debug = true), "D", "debug");
        bool(c -> c.options.add(o -> o.trace = true), "V", "trace", "VV");
        bool(c -> c.options.add(o -> {
            o.debug = true;
            o.trace = true;
        }), "DV", "VD", "DVV");
        flag(Kind.BOOL, (c, v) -> c.options.add(o -> o.logtime = Boolean.parseBoolean(v)), "T", "logtime");
        string((c, v) -> c.configFile = v, "c", "config");
        integer((c, v) -> c.options.add(o -> o.port = Integer.parseInt(v)), "p", "port");
        string((c, v) -> c.options.add(o -> o.host = v), "a", "addr", "net");
        integer((c, v) -> c.options.add(o -> o.httpPort = Integer.parseInt(v)), "m", "http_port");
        string((c, v) -> c.options.add(o -> o.serverName = v), "n", "name", "server_name");
        string((c, v) -> c.user = v, "user");
        string((c, v) -> c.pass = v, "pass");
        string((c, v) -> c.options.add(o -> o.authToken = v), "auth");
        string((c, v) -> c.options.add(o -> o.logFile = v), "l", "log");
        string((c, v) -> c.options.add(o -> o.pidFile = v), "P", "pid");
        string((c, v) -> c.options.add(o -> o.portsFileDir = v), "ports_file_dir");
        string((c, v) -> c.signal = v, "sl", "signal");
        string((c, v) -> c.options.add(o -> o.clientAdvertise = v), "client_advertise");
        integer((c, v) -> c.options.add(o -> o.logSizeLimit = Long.parseLong(v)), "log_size_limit");
        flag(Kind.INT, (c, v) -> { }, "max_traced_msg_len");
        // Accepted, not provided yet: said once at start-up, and monitoring stays truthful.
        bool(c -> notYet("JetStream is not provided by this server; -js is ignored").set(c, "true"), "js", "jetstream");
        string(notYet("JetStream is not provided by this server; the store directory is ignored"), "sd", "store_dir");
        bool(c -> notYet("syslog is not supported; logging to stderr or the log file").set(c, "true"), "s", "syslog");
        string(notYet("remote syslog is not supported; logging to stderr or the log file"), "r", "remote_syslog");
        integer(notYet("the profiling port is not supported"), "profile");
        string((c, v) -> c.options.add(o -> clusterListen(o, v)), "cluster", "cluster_listen");
        string((c, v) -> c.options.add(o -> routes(o, v)), "routes");
        string((c, v) -> c.options.add(o -> o.cluster.name = v), "cluster_name");
        string((c, v) -> c.options.add(o -> o.cluster.advertise = v), "cluster_advertise");
        bool(c -> c.options.add(o -> o.cluster.noAdvertise = true), "no_advertise");
        integer((c, v) -> c.options.add(o -> o.cluster.connectRetries = Integer.parseInt(v)), "connect_retries");
        bool(c -> c.options.add(o -> tls(o)), "tls");
        bool(c -> c.options.add(o -> tls(o).verify = true), "tlsverify");
        string((c, v) -> c.options.add(o -> tls(o).certFile = v), "tlscert");
        string((c, v) -> c.options.add(o -> tls(o).keyFile = v), "tlskey");
        string((c, v) -> c.options.add(o -> tls(o).caFile = v), "tlscacert");
        // Never a plain-text downgrade of what was asked to be protected.
        integer((c, v) -> c.options.add(o -> o.httpsPort = Integer.parseInt(v)), "ms", "https_port");
    }

    /** The tls block the TLS flags fill (created on first use, as the reference's flags do). */
    private static TlsOptions tls(ServerOptions o) {
        if (o.tls == null) {
            o.tls = new TlsOptions();
        }
        return o.tls;
    }

    /** {@code --cluster nats://[user:pass@]host:port}: the route listener (and its credentials). */
    private static void clusterListen(ServerOptions o, String value) {
        URI u = URI.create(value.trim());
        if (u.getHost() != null) {
            o.cluster.host = u.getHost();
        }
        o.cluster.port = u.getPort();
        if (u.getUserInfo() != null) {
            String[] up = u.getUserInfo().split(":", 2);
            o.cluster.user = up[0];
            o.cluster.password = up.length > 1 ? up[1] : "";
        }
    }

    /** {@code --routes url1,url2}: replaces the config file's routes, as the reference does. */
    private static void routes(ServerOptions o, String value) {
        o.cluster.routes.clear();
        for (String r : value.split(",")) {
            if (!r.isBlank()) {
                o.cluster.routes.add(URI.create(r.trim()));
            }
        }
    }

    String configFile;
    String signal;
    boolean help;
    boolean version;
    boolean checkConfig;
    boolean showTlsHelp;
    private String user;
    private String pass;
    private final List<Consumer<ServerOptions>> options = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    static CommandLine parse(String[] args) {
        CommandLine c = new CommandLine();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                break; // Go's flag package stops at the first non-flag argument
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String name = body;
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            Flag f = FLAGS.get(name);
            if (f == null) {
                throw new IllegalArgumentException("flag provided but not defined: -" + name);
            }
            if (f.kind() == Kind.BOOL) {
                if (value == null) {
                    value = "true";
                } else if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")
                        && !value.equals("1") && !value.equals("0")) {
                    throw new IllegalArgumentException("invalid boolean value \"" + value + "\" for -" + name);
                }
                value = String.valueOf(value.equalsIgnoreCase("true") || value.equals("1"));
            } else if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag needs an argument: -" + name);
                }
                value = args[++i];
            }
            if (f.kind() == Kind.INT) {
                try {
                    Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid value \"" + value + "\" for flag -" + name
                            + ": parse error");
                }
            }
            f.setter().set(c, value);
        }
        return c;
    }

    /** Applies the flags over the options loaded from the config file (or the defaults). */
    void applyTo(ServerOptions o) {
        for (Consumer<ServerOptions> op : options) {
            op.accept(o);
        }
        if (user != null || pass != null) {
            o.authUser = user;
            o.authPassword = pass;
            o.users.removeIf(u -> u.account() == null && u.username() != null);
            o.users.add(new UserEntry(user, pass, null, null, null));
        }
        o.warnings.addAll(warnings);
    }

    private static Setter notYet(String warning) {
        return (c, v) -> {
            if (!c.warnings.contains(warning)) {
                c.warnings.add(warning);
            }
        };
    }

    /** A switch that is off by default: {@code -x=false} leaves it off. */
    private static void bool(Consumer<CommandLine> on, String... names) {
        flag(Kind.BOOL, (c, v) -> {
            if (v.equals("true")) {
                on.accept(c);
            }
        }, names);
    }

    private static void string(Setter s, String... names) {
        flag(Kind.STRING, s, names);
    }

    private static void integer(Setter s, String... names) {
        flag(Kind.INT, s, names);
    }

    private static void flag(Kind kind, Setter s, String... names) {
        for (String n : names) {
            FLAGS.put(n, new Flag(kind, s));
        }
    }
}
