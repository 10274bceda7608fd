package io.natsjvm.embedded;

import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A NATS server inside this JVM: for tests and for applications that embed one. Started from a
 * config file, a config text or the defaults, on a free port unless told otherwise; optionally in
 * operator mode with the bundled sample operator, whose users' {@code .creds} it hands out.
 * <pre>{@code
 * try (EmbeddedNatsServer nats = EmbeddedNatsServer.builder().sampleOperator().start()) {
 *     Connection c = Nats.connect(new Options.Builder().server(nats.url())
 *             .authHandler(Nats.credentials(nats.credentials("APP", "alice").toString())).build());
 * }
 * }</pre>
 * Thread-safe; {@link #close} is idempotent.
 */
public final class EmbeddedNatsServer implements AutoCloseable {
    private final NatsServer server;
    private final Credentials credentials;

    private EmbeddedNatsServer(NatsServer server, Credentials credentials) {
        this.server = server;
        this.credentials = credentials;
    }

    /** A server with the defaults (no auth) on a free loopback port, started. */
    public static EmbeddedNatsServer start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code nats://host:port}, for any NATS client. */
    public String url() {
        return "nats://" + host() + ":" + port();
    }

    public String host() {
        String h = server.options().host;
        return h == null || h.equals("0.0.0.0") ? "127.0.0.1" : h;
    }

    public int port() {
        return server.port();
    }

    /** The monitoring port, or 0 without one ({@code http_port} in the config). */
    public int monitoringPort() {
        return server.httpPort();
    }

    /** The websocket port, or 0 without a {@code websocket {}} block. */
    public int websocketPort() {
        return server.websocketPort();
    }

    public String serverId() {
        return server.serverId();
    }

    /**
     * The {@code .creds} file of an operator-mode user, written to a temporary file: with
     * {@link Builder#sampleOperator()} APP/alice, APP/bob, OTHER/carol, SYS/sys; with
     * {@link Builder#operator} each account's users, and SYS/sys.
     *
     * @throws IllegalStateException when the server was not started in operator mode by the builder
     */
    public Path credentials(String account, String user) {
        if (credentials == null) {
            throw new IllegalStateException("credentials come from an operator the builder made: use"
                    + " Builder.sampleOperator() or Builder.operator(...)");
        }
        return credentials.credentials(account, user);
    }

    /** Stops the server: clients are closed, the ports released. */
    @Override
    public void close() {
        server.shutdown();
    }

    /** How to start one; every setting is optional. */
    public static final class Builder {
        private String configText;
        private Path configFile;
        private Integer port = 0;
        private String host = "127.0.0.1";
        private boolean sampleOperator;
        private List<String> accounts;
        private List<String> users;

        private Builder() {
        }

        /** Config in nats-server syntax (as a file would hold it). */
        public Builder config(String text) {
            this.configText = text;
            return this;
        }

        /** A config file in nats-server syntax ({@code include} paths are relative to it). */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** The client port; 0 (the default) picks a free one, null keeps the config's. */
        public Builder port(Integer port) {
            this.port = port;
            return this;
        }

        /** The client listener's address (default loopback); null keeps the config's. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /**
         * Operator mode with the bundled sample operator and its accounts APP, OTHER and SYS
         * (MEMORY resolver): clients log in with {@link #credentials} files. Sample keys: tests
         * and demos only.
         */
        public Builder sampleOperator() {
            this.sampleOperator = true;
            return this;
        }

        /**
         * Operator mode with a new operator (fresh keys) and these accounts, each with these users
         * (default "user"), plus SYS/sys: clients log in with {@link #credentials} files.
         */
        public Builder operator(List<String> accounts, List<String> users) {
            this.accounts = List.copyOf(accounts);
            this.users = users == null || users.isEmpty() ? List.of("user") : List.copyOf(users);
            return this;
        }

        /** Builds and starts the server; returns once it accepts clients. */
        public EmbeddedNatsServer start() {
            if (sampleOperator && accounts != null) {
                throw new IllegalArgumentException("sampleOperator() or operator(...), not both");
            }
            Credentials sample = sampleOperator ? SampleOperator.extract()
                    : accounts != null ? new GeneratedOperator(accounts, users) : null;
            try {
                ServerOptions o;
                if (configFile != null) {
                    o = OptionsLoader.loadFile(configFile);
                    if (sample != null) {
                        throw new IllegalArgumentException("an operator from the builder goes with config(String),"
                                + " not a file");
                    }
                } else {
                    String text = operatorConfig(sample) + (configText == null ? "" : configText);
                    o = OptionsLoader.load(ConfigParser.parse(text));
                }
                if (port != null) {
                    o.port = port;
                }
                if (host != null) {
                    o.host = host;
                }
                NatsServer server = new NatsServer(o).start();
                return new EmbeddedNatsServer(server, sample);
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }

    private static String operatorConfig(Credentials c) {
        if (c instanceof SampleOperator s) {
            return s.config();
        }
        if (c instanceof GeneratedOperator g) {
            return g.config();
        }
        return "";
    }

    static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("nats-jvm-embedded");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
