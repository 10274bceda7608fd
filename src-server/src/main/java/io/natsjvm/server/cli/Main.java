package io.natsjvm.server.cli;
import io.natsjvm.server.NatsServer;
import io.natsjvm.server.auth.UserEntry;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.log.ServerLog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Command line entry point with nats-server's flags. Flags given on the command line override
 * the config file. SIGTERM and SIGINT shut the server down gracefully.
 */
public final class Main {
    static final String USAGE = """
            Usage: nats-server [options]

            Server Options:
                -a, --addr, --net <host>         Bind to host address (default: 0.0.0.0)
                -p, --port <port>                Use port for clients (default: 4222)
                -n, --name
                    --server_name <server_name>  Server name (default: auto)
                -m, --http_port <port>           Use port for http monitoring
                -c, --config <file>              Configuration file
                -v, --version                    Show version
                -h, --help                       Show this message

            Logging Options:
                -l, --log <file>                 File to redirect log output
                -T, --logtime                    Timestamp log entries (default: true)
                -D, --debug                      Enable debugging output
                -V, --trace                      Trace the raw protocol
                -DV                              Debug and trace

            Authorization Options:
                    --user <user>                User required for connections
                    --pass <password>            Password required for connections
                    --auth <token>               Authorization token required for connections
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the server; returns an exit code, or -1 once the server has stopped normally. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        ServerOptions opts;
        try {
            CommandLine cl = CommandLine.parse(args);
            if (cl.help) {
                out.print(USAGE);
                return 0;
            }
            if (cl.version) {
                out.println("nats-server: v" + NatsServer.VERSION + " (nats-jvm)");
                return 0;
            }
            opts = cl.configFile != null ? OptionsLoader.loadFile(Path.of(cl.configFile)) : new ServerOptions();
            cl.applyTo(opts);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println("nats-server: " + e.getMessage());
            if (e instanceof IllegalArgumentException) {
                err.print(USAGE);
            }
            return 1;
        }
        try {
            ServerLog.configure(opts.debug, opts.trace, opts.logtime, opts.logFile);
        } catch (IOException e) {
            err.println("nats-server: cannot open log file: " + e.getMessage());
            return 1;
        }
        NatsServer server;
        try {
            server = new NatsServer(opts);
            server.start();
        } catch (Exception e) {
            ServerLog.get().fatal("%s", e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ServerLog.get().info("Trapped \"terminated\" signal");
            server.shutdown();
            stopped.countDown();
            // A trapped SIGTERM/SIGINT is a clean stop: exit 0 as the reference does, not 143.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** Parsed flags; null/false means "not given" so the config file value stays. */
    static final class CommandLine {
        String configFile;
        Integer port;
        String host;
        Integer httpPort;
        String serverName;
        String user;
        String pass;
        String token;
        String logFile;
        Boolean logtime;
        boolean debug;
        boolean trace;
        boolean help;
        boolean version;

        static CommandLine parse(String[] args) {
            CommandLine c = new CommandLine();
            List<String> rest = new ArrayList<>(List.of(args));
            for (int i = 0; i < rest.size(); i++) {
                String a = rest.get(i);
                String name = a;
                String value = null;
                if (a.startsWith("-") && a.contains("=")) {
                    name = a.substring(0, a.indexOf('='));
                    value = a.substring(a.indexOf('=') + 1);
                }
                switch (name) {
                    case "-h", "--help", "-help" -> c.help = true;
                    case "-v", "--version", "-version" -> c.version = true;
                    case "-D", "--debug", "-debug" -> c.debug = true;
                    case "-V", "--trace", "-trace" -> c.trace = true;
                    case "-DV", "-VD" -> {
                        c.debug = true;
                        c.trace = true;
                    }
                    case "-T", "--logtime", "-logtime" -> c.logtime = value == null || Boolean.parseBoolean(value);
                    case "-c", "--config", "-config" -> c.configFile = value != null ? value : next(rest, ++i, name);
                    case "-p", "--port", "-port" -> c.port = number(value != null ? value : next(rest, ++i, name), name);
                    case "-a", "--addr", "-addr", "--net", "-net" ->
                            c.host = value != null ? value : next(rest, ++i, name);
                    case "-m", "--http_port", "-http_port" ->
                            c.httpPort = number(value != null ? value : next(rest, ++i, name), name);
                    case "-n", "--name", "-name", "--server_name", "-server_name" ->
                            c.serverName = value != null ? value : next(rest, ++i, name);
                    case "--user", "-user" -> c.user = value != null ? value : next(rest, ++i, name);
                    case "--pass", "-pass" -> c.pass = value != null ? value : next(rest, ++i, name);
                    case "--auth", "-auth" -> c.token = value != null ? value : next(rest, ++i, name);
                    case "-l", "--log", "-log" -> c.logFile = value != null ? value : next(rest, ++i, name);
                    default -> throw new IllegalArgumentException("flag provided but not defined: " + a);
                }
            }
            return c;
        }

        private static String next(List<String> args, int i, String flag) {
            if (i >= args.size()) {
                throw new IllegalArgumentException("flag needs an argument: " + flag);
            }
            return args.get(i);
        }

        private static int number(String v, String flag) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid value \"" + v + "\" for flag " + flag);
            }
        }

        void applyTo(ServerOptions o) {
            if (port != null) {
                o.port = port;
            }
            if (host != null) {
                o.host = host;
            }
            if (httpPort != null) {
                o.httpPort = httpPort;
            }
            if (serverName != null) {
                o.serverName = serverName;
            }
            if (logFile != null) {
                o.logFile = logFile;
            }
            if (logtime != null) {
                o.logtime = logtime;
            }
            o.debug |= debug;
            o.trace |= trace;
            if (token != null) {
                o.authToken = token;
            }
            if (user != null || pass != null) {
                o.authUser = user;
                o.authPassword = pass;
                o.users.removeIf(u -> u.account() == null && u.username() != null);
                o.users.add(new UserEntry(user, pass, null, null, null));
            }
        }
    }
}
