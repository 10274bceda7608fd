package io.natsjvm.server.cli;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.log.ServerLog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Command line entry point with nats-server's flags. Flags given on the command line override
 * the config file. SIGTERM and SIGINT shut the server down gracefully.
 */
public final class Main {
    private static final String NETTY_REFLECTION = "io.netty.tryReflectionSetAccessible";
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
                -P, --pid <file>                 File to store PID
                    --ports_file_dir <dir>       Creates a ports file in the specified directory (<executable_name>_<pid>.ports)
                -t                               Test configuration and exit
                -sl,--signal <signal>[=<pid>]    Send signal to nats-server process (ldm, stop, quit, term, reopen, reload)
                                                 <pid> can be either a PID (e.g. 1) or the path to a PID file (e.g. /var/run/nats-server.pid)
                    --client_advertise <string>  Client URL to advertise to other servers

            Logging Options:
                -l, --log <file>                 File to redirect log output
                -T, --logtime                    Timestamp log entries (default: true)
                -s, --syslog                     Log to syslog or windows event log (not supported: logs to stderr)
                -r, --remote_syslog <addr>       Syslog server addr (not supported)
                -D, --debug                      Enable debugging output
                -V, --trace                      Trace the raw protocol
                -VV                              Verbose trace (traces system account as well)
                -DV                              Debug and trace
                -DVV                             Debug and verbose trace (traces system account as well)
                    --log_size_limit <limit>     Logfile size limit (accepted, not enforced)
                    --max_traced_msg_len <len>   Maximum printable length for traced messages (accepted)

            JetStream Options:
                -js, --jetstream                 Enable JetStream functionality (not provided by this server: a warning)
                -sd, --store_dir <dir>           Set the storage directory (ignored)

            Authorization Options:
                    --user <user>                User required for connections
                    --pass <password>            Password required for connections
                    --auth <token>               Authorization token required for connections

            TLS Options:
                    --tls                        Enable TLS, do not verify clients (default: false)
                    --tlscert <file>             Server certificate file
                    --tlskey <file>              Private key for server certificate
                    --tlsverify                  Enable TLS, verify client certificates
                    --tlscacert <file>           Client certificate CA for verification
                -ms, --https_port <port>         Not supported yet: stops start-up

            Cluster Options:
                    --routes <rurl-1, rurl-2>    Routes to solicit and connect
                    --cluster <cluster-url>      Cluster URL for solicited routes
                    --cluster_name <string>      Cluster Name, if not set one will be dynamically generated
                    --no_advertise <bool>        Do not advertise known cluster information to clients
                    --cluster_advertise <string> Cluster URL to advertise to other servers
                    --connect_retries <number>   For implicit routes, number of connect retries

            Common Options:
                -h, --help                       Show this message
                -v, --version                    Show version
                    --help_tls                   TLS help
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Before any Netty class loads: with the jar's Add-Opens it lets Netty's pool allocate
        // direct memory without zeroing it (see the pom); a user's own -D setting wins.
        if (System.getProperty(NETTY_REFLECTION) == null) {
            System.setProperty(NETTY_REFLECTION, "true");
        }
        int code = run(args, System.out, System.err);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the server; returns an exit code, or -1 once the server has stopped normally. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        StartupPreload.start();
        ServerOptions opts;
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
            if (cl.help) {
                out.print(USAGE);
                return 0;
            }
            if (cl.showTlsHelp) {
                out.print(TLS_USAGE);
                return 0;
            }
            if (cl.version) {
                out.println("nats-server: v" + NatsServer.VERSION + " (nats-jvm)");
                return 0;
            }
            if (cl.signal != null) {
                return SignalSender.send(cl.signal);
            }
            opts = cl.configFile != null ? OptionsLoader.loadFile(Path.of(cl.configFile)) : new ServerOptions();
            cl.applyTo(opts);
            if (cl.checkConfig) {
                out.println("nats-server: configuration file " + cl.configFile + " is valid");
                return 0;
            }
        } catch (ConfigException | IllegalArgumentException | IOException e) {
            err.println("nats-server: " + e.getMessage());
            if (e instanceof IllegalArgumentException && e.getMessage().startsWith("flag")) {
                err.print(USAGE);
            }
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        try {
            ServerLog.configure(opts.debug, opts.trace, opts.logtime, opts.logFile, opts.logSizeLimit);
        } catch (IOException e) {
            err.println("nats-server: cannot open log file: " + e.getMessage());
            return 1;
        }
        NatsServer server;
        ProcessFiles files;
        try {
            server = new NatsServer(opts);
        } catch (RuntimeException e) {
            // What the reference finds wrong before it starts (its NewServer), it prints and exits.
            err.println("nats-server: " + e.getMessage());
            return 1;
        }
        try {
            server.startOwningProcess();
            files = ProcessFiles.write(server, opts);
        } catch (Exception e) {
            ServerLog.get().fatal("%s", e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        IntConsumer stop = status -> {
            if (stopping.compareAndSet(false, true)) {
                server.shutdown();
                files.remove();
                stopped.countDown();
                Runtime.getRuntime().halt(status);
            }
        };
        if (cl.configFile != null) {
            server.configSource(() -> {
                ServerOptions next = OptionsLoader.loadFile(Path.of(cl.configFile));
                cl.applyTo(next);
                return next;
            });
        }
        ProcessSignals.install(server, status -> new Thread(() -> stop.accept(status), "shutdown").start(),
                server::reloadFromSource);
        // Any other way the JVM ends (System.exit, a signal we could not take) still shuts down.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.accept(0), "shutdown-hook"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    static final String TLS_USAGE = """
            TLS Options:
                    --tls                        Enable TLS, do not verify clients (default: false)
                    --tlscert <file>             Server certificate file
                    --tlskey <file>              Private key for server certificate
                    --tlsverify                  Enable TLS, verify client certificates
                    --tlscacert <file>           Client certificate CA for verification

            TLS is not supported by this server yet: these flags stop start-up.
            """;
}
