package io.natsjvm.server.util;

import io.natsjvm.resolver.claims.AccountClaims;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.account.AccountRegistry;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.auth.JwtLogin;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.client.ConnectionContext;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.connection.ConnectionHandler;
import io.natsjvm.server.protocol.InfoTemplate;
import io.natsjvm.server.protocol.ServerInfo;
import io.natsjvm.server.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A server without sockets for unit tests of connections on Netty's {@link EmbeddedChannel}: it
 * records what connections report (slow consumers, auth failures, closes) instead of acting on it.
 */
public final class FakeConnectionContext implements ConnectionContext {
    public final ServerOptions options;
    public final Authenticator authenticator;
    public final AccountRegistry accounts = new AccountRegistry();
    public final List<String> authFailures = new ArrayList<>();
    public final List<ClientConnection> slowConsumers = new ArrayList<>();
    public final List<ClientConnection> closed = new ArrayList<>();
    /** Also told of every close as it is recorded (to see what else is true at that moment). */
    public Consumer<ClientConnection> onClosed = c -> { };
    public final List<Throwable> internalErrors = new ArrayList<>();
    private final AtomicLong cids = new AtomicLong();
    private final InfoTemplate info;

    public FakeConnectionContext(ServerOptions options, Authenticator authenticator) {
        this.options = options;
        this.authenticator = authenticator;
        this.info = new InfoTemplate(new ServerInfo("NFAKE", "fake", ServerInfo.VERSION, 1, "java", "0.0.0.0", 4222,
                true, authenticator.required(), false, false, false, options.maxPayload, 0, null, null, null, null));
    }

    public FakeConnectionContext() {
        this(new ServerOptions(), Authenticator.NONE);
    }

    /** A client connection on an embedded channel, and a way to talk to it. */
    public record EmbeddedClient(EmbeddedChannel channel, ClientConnection connection) {
        /** Protocol text from the client; the read batch ends (and is flushed) after it. */
        public EmbeddedClient send(String text) {
            channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            channel.runPendingTasks();
            return this;
        }

        /** Everything written to the client since the last call. */
        public String received() {
            channel.runPendingTasks();
            return written(channel);
        }
    }

    /** A connected client: its INFO is already written. */
    public EmbeddedClient connect() {
        ClientConnection[] conn = new ClientConnection[1];
        EmbeddedChannel ch = new EmbeddedChannel(new ConnectionHandler(c -> conn[0] = accept(c)));
        return new EmbeddedClient(ch, conn[0]);
    }

    /** Everything the channel wrote so far, as text. */
    public static String written(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Override
    public ServerOptions options() {
        return options;
    }

    @Override
    public Authenticator authenticator() {
        return authenticator;
    }

    @Override
    public AccountRegistry accounts() {
        return accounts;
    }

    @Override
    public Account account(String name) {
        return accounts.getOrCreate(name);
    }

    @Override
    public void accountClaims(Account a, AccountClaims c) {
        a.applyClaims(c);
    }

    @Override
    public void prepareAccount(String accountName, JwtLogin jwt) {
    }

    @Override
    public Executor blockingWork() {
        return Runnable::run;
    }

    @Override
    public ServerTls tls() {
        return null;
    }

    @Override
    public byte[] infoLine(long cid, String ip, String nonce) {
        return info.forClient(cid, ip, nonce);
    }

    @Override
    public Object infoVersion() {
        return info;
    }

    @Override
    public byte[] asyncInfoLine(long cid, String ip) {
        return info.async(cid, ip);
    }

    @Override
    public byte[] lameDuckInfoLine(long cid, String ip) {
        return info.lameDuck(cid, ip);
    }

    @Override
    public boolean nonceRequired() {
        return false;
    }

    @Override
    public String newNonce() {
        return "nonce";
    }

    @Override
    public ClientConnection accept(Channel ch) {
        ClientConnection c = new ClientConnection(this, ch, cids.incrementAndGet(), "127.0.0.1", 40000);
        c.start(false);
        return c;
    }

    @Override
    public void clientConnected(ClientConnection c, int count) {
    }

    @Override
    public void clientDisconnected(ClientConnection c, int count) {
    }

    @Override
    public void clientClosed(ClientConnection c) {
        closed.add(c);
        onClosed.accept(c);
    }

    @Override
    public void authFailed(ClientConnection c, String why) {
        authFailures.add(why);
    }

    @Override
    public void slowConsumer(ClientConnection c) {
        slowConsumers.add(c);
    }

    @Override
    public void internalError(ClientConnection c, Throwable t) {
        internalErrors.add(t);
    }
}
