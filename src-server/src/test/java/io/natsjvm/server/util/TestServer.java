package io.natsjvm.server.util;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.NatsServer;
import io.natsjvm.server.config.ConfigException;
import io.natsjvm.server.config.ConfigParser;
import io.natsjvm.server.config.OptionsLoader;
import io.natsjvm.server.config.ServerOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/** A server on an ephemeral loopback port for one test; close() shuts it down. */
public final class TestServer implements AutoCloseable {
    private final NatsServer server;

    private TestServer(ServerOptions o) throws InterruptedException {
        this(o, 0);
    }

    private TestServer(ServerOptions o, int port) throws InterruptedException {
        o.host = "127.0.0.1";
        o.port = port;
        server = new NatsServer(o).start();
    }

    /** Starts on a given port (for tests that connect while the server starts). */
    public static TestServer onPort(int port, String config) throws InterruptedException, ConfigException {
        return new TestServer(OptionsLoader.load(ConfigParser.parse(config)), port);
    }

    public static TestServer start() throws InterruptedException {
        return start(o -> { });
    }

    public static TestServer start(Consumer<ServerOptions> customize) throws InterruptedException {
        ServerOptions o = new ServerOptions();
        customize.accept(o);
        return new TestServer(o);
    }

    /** Starts with options from config text (host and port are overridden). */
    public static TestServer fromConfig(String config) throws InterruptedException, ConfigException {
        return new TestServer(OptionsLoader.load(ConfigParser.parse(config)));
    }

    public NatsServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "nats://127.0.0.1:" + port();
    }

    public RawClient raw() throws IOException {
        return new RawClient(port());
    }

    public Connection connect() throws Exception {
        return connect(b -> { });
    }

    public Connection connect(Consumer<Options.Builder> customize) throws Exception {
        Options.Builder b = new Options.Builder().server(url()).connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(0).noReconnect();
        customize.accept(b);
        return Nats.connect(b.build());
    }

    @Override
    public void close() {
        server.shutdown();
        LeakRecorder.assertNoLeaks();
    }
}
