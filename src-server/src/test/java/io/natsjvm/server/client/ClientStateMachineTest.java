package io.natsjvm.server.client;

import io.natsjvm.server.account.Account;
import io.natsjvm.server.auth.AuthResult;
import io.natsjvm.server.auth.Authenticator;
import io.natsjvm.server.auth.Permissions;
import io.natsjvm.server.auth.SubjectPermission;
import io.natsjvm.server.config.ServerOptions;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.InterestListener;
import io.natsjvm.server.protocol.CloseReason;
import io.natsjvm.server.protocol.ConnectOptions;
import io.natsjvm.server.util.FakeConnectionContext;
import io.natsjvm.server.util.FakeConnectionContext.EmbeddedClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client protocol state machine on embedded channels: no sockets, no server, virtual time. */
class ClientStateMachineTest {

    @Test
    void infoThenVerboseRepliesThenDelivery() {
        FakeConnectionContext ctx = new FakeConnectionContext();
        EmbeddedClient c = ctx.connect();
        String info = c.received();
        assertTrue(info.startsWith("INFO {\"server_id\":\"NFAKE\""), info);
        assertTrue(info.contains("\"client_id\":1,\"client_ip\":\"127.0.0.1\"} \r\n"), info);
        c.send("CONNECT {}\r\nSUB a.* 1\r\nPUB a.b 2\r\nhi\r\nPING\r\n");
        assertEquals("+OK\r\n+OK\r\n+OK\r\nMSG a.b 1 2\r\nhi\r\nPONG\r\n", c.received());
        assertEquals(1, c.connection().inMsgs());
        assertEquals(1, c.connection().outMsgs());
        c.channel().finishAndReleaseAll();
    }

    @Test
    void autoUnsubscribeStopsDeliveryAndTheOwnerRemovesTheSubscription() {
        FakeConnectionContext ctx = new FakeConnectionContext();
        EmbeddedClient c = ctx.connect();
        c.received();
        c.send("CONNECT {\"verbose\":false}\r\nSUB s 9\r\nUNSUB 9 2\r\nPUB s 1\r\na\r\nPUB s 1\r\nb\r\nPUB s 1\r\nc\r\n");
        assertEquals("MSG s 9 1\r\na\r\nMSG s 9 1\r\nb\r\n", c.received());
        assertEquals(0, c.connection().subscriptionCount());
        assertEquals(0, ctx.accounts.global().subjects().count());
        c.channel().finishAndReleaseAll();
    }

    @Test
    void interestListenerSeesFirstAndLastInterestAndQueueWeights() {
        FakeConnectionContext ctx = new FakeConnectionContext();
        List<String> changes = new ArrayList<>();
        InterestListener l = (subject, queue, weight, origin) -> changes.add(subject + (queue == null ? "" : " " + queue)
                + "=" + weight);
        ctx.accounts.global().addInterestListener(l);
        EmbeddedClient c = ctx.connect();
        c.send("CONNECT {\"verbose\":false}\r\nSUB a 1\r\nSUB a 2\r\nSUB q g 3\r\nSUB q g 4\r\nUNSUB 1\r\n"
                + "UNSUB 2\r\nUNSUB 3\r\n");
        assertEquals(List.of("a=1", "q g=1", "q g=2", "a=0", "q g=1"), changes);
        c.channel().close();
        assertEquals(List.of("a=1", "q g=1", "q g=2", "a=0", "q g=1", "q g=0"), changes,
                "a closing connection takes its interest with it");
        c.channel().finishAndReleaseAll();
    }

    @Test
    void authTimeoutClosesWithTheReferenceError() {
        ServerOptions opts = new ServerOptions();
        opts.authTimeout = Duration.ofSeconds(2);
        Authenticator required = new Authenticator() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public AuthResult authenticate(ConnectOptions connect, String nonce) {
                return AuthResult.failure("nope");
            }
        };
        FakeConnectionContext ctx = new FakeConnectionContext(opts, required);
        EmbeddedClient c = ctx.connect();
        c.channel().freezeTime();
        assertTrue(c.received().contains("\"auth_required\":true"));
        c.channel().advanceTimeBy(2100, TimeUnit.MILLISECONDS);
        c.channel().runScheduledPendingTasks();
        assertEquals("-ERR 'Authentication Timeout'\r\n", c.received());
        assertEquals(CloseReason.AUTHENTICATION_TIMEOUT, c.connection().closeReason());
        assertFalse(c.channel().isOpen());
        c.channel().finishAndReleaseAll();
    }

    @Test
    void failedLoginIsAnAuthorizationViolation() {
        Authenticator refuse = new Authenticator() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public AuthResult authenticate(ConnectOptions connect, String nonce) {
                return AuthResult.failure("bad password");
            }
        };
        FakeConnectionContext ctx = new FakeConnectionContext(new ServerOptions(), refuse);
        EmbeddedClient c = ctx.connect();
        c.received();
        c.send("CONNECT {\"user\":\"a\",\"pass\":\"b\"}\r\nPING\r\n");
        assertEquals("-ERR 'Authorization Violation'\r\n", c.received());
        assertEquals(List.of("bad password"), ctx.authFailures);
        assertEquals(List.of(c.connection()), ctx.closed);
        c.channel().finishAndReleaseAll();
    }

    @Test
    void loginIdentityIsOneRecordAndPermissionsApply() {
        Authenticator alice = new Authenticator() {
            @Override
            public boolean required() {
                return true;
            }

            @Override
            public AuthResult authenticate(ConnectOptions connect, String nonce) {
                return AuthResult.success("A", "alice",
                        new Permissions(new SubjectPermission(List.of("ok.>"), null), null, null));
            }
        };
        FakeConnectionContext ctx = new FakeConnectionContext(new ServerOptions(), alice);
        EmbeddedClient c = ctx.connect();
        c.received();
        c.send("CONNECT {\"verbose\":false,\"name\":\"app\"}\r\nPUB no 0\r\n\r\n");
        ClientIdentity id = c.connection().identity();
        assertEquals("alice", id.user());
        assertEquals("A", id.account().name());
        assertEquals("app", id.options().name());
        assertTrue(c.received().startsWith("-ERR 'Permissions Violation for Publish to \"no\"'"));
        c.channel().finishAndReleaseAll();
    }

    /** Holds every flush: the subscriber's socket is full. */
    private static final class StuckPeer extends ChannelOutboundHandlerAdapter {
        @Override
        public void flush(ChannelHandlerContext ctx) {
        }
    }

    @Test
    void aClientProducerStallsWhileItsSubscriberIsBehindAndReadsAgainWhenItDrains() {
        ServerOptions opts = new ServerOptions();
        opts.maxPending = 64 * 1024;
        FakeConnectionContext ctx = new FakeConnectionContext(opts, Authenticator.NONE);
        EmbeddedClient sub = ctx.connect();
        StuckPeer stuck = new StuckPeer();
        sub.channel().pipeline().addFirst(stuck);
        sub.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(1024, 2048));
        sub.send("CONNECT {\"verbose\":false}\r\nSUB big 1\r\n");
        EmbeddedClient pub = ctx.connect();
        pub.received();
        String payload = "x".repeat(4000);
        pub.send("CONNECT {\"verbose\":false}\r\nPUB big 4000\r\n" + payload + "\r\n");
        assertTrue(pub.channel().config().isAutoRead(), "the subscriber's socket was not full yet");
        pub.send("PUB big 4000\r\n" + payload + "\r\n");
        assertFalse(pub.channel().config().isAutoRead(), "the producer stopped being read");
        sub.channel().pipeline().remove(stuck);
        sub.channel().flush();
        sub.channel().runPendingTasks();
        assertTrue(pub.channel().config().isAutoRead(), "the producer reads again once its subscriber drained");
        assertEquals(2, sub.received().split("MSG big 1 4000\r\n", -1).length - 1);
        sub.channel().finishAndReleaseAll();
        pub.channel().finishAndReleaseAll();
    }

    @Test
    void overMaxPendingTheSubscriberIsClosedAsASlowConsumer() {
        ServerOptions opts = new ServerOptions();
        opts.maxPending = 10_000;
        FakeConnectionContext ctx = new FakeConnectionContext(opts, Authenticator.NONE);
        EmbeddedClient sub = ctx.connect();
        sub.channel().pipeline().addFirst(new StuckPeer());
        sub.send("CONNECT {\"verbose\":false}\r\nSUB big 1\r\n");
        EmbeddedClient pub = ctx.connect();
        String payload = "x".repeat(4000);
        String three = ("PUB big 4000\r\n" + payload + "\r\n").repeat(3);
        pub.send("CONNECT {\"verbose\":false}\r\n" + three);
        assertEquals(List.of(sub.connection()), ctx.slowConsumers);
        assertEquals(CloseReason.SLOW_CONSUMER_PENDING_BYTES, sub.connection().closeReason());
        Account global = ctx.accounts.global();
        assertEquals(1, global.slowConsumers());
        assertEquals(0, global.subjects().count());
        sub.channel().finishAndReleaseAll();
        pub.channel().finishAndReleaseAll();
        assertNull(ctx.internalErrors.isEmpty() ? null : ctx.internalErrors);
        FlushBatch.current().flush();
    }
}
