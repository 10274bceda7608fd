package io.natsjvm.server.delivery;

import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one inbound message path, with fake destinations. */
class MessageProcessorTest {
    private final InboundMessage msg = InboundMessage.build("orders.new", null, Unpooled.EMPTY_BUFFER, 0, 0, -1);
    private final FlushBatch batch = new FlushBatch();

    @AfterEach
    void release() {
        msg.buf.release();
    }

    /** A client-like destination: one delivery per matching subscription. */
    private static final class Local implements MessageTarget {
        final List<String> got = new ArrayList<>();

        @Override
        public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
            got.add(sub.sid());
            return true;
        }
    }

    /** A route-like destination: one copy per message, with the queue groups it was chosen for. */
    private static final class Peer implements MessageTarget {
        final List<List<String>> copies = new ArrayList<>();

        @Override
        public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
            throw new AssertionError("a once-per-message destination gets deliverOnce");
        }

        @Override
        public boolean oncePerMessage() {
            return true;
        }

        @Override
        public boolean deliverOnce(InboundMessage m, List<String> queues, FlushBatch batch) {
            copies.add(List.copyOf(queues));
            return true;
        }

        @Override
        public ConnectionKind kind() {
            return ConnectionKind.ROUTER;
        }
    }

    @Test
    void aPeerQueueMemberWeighsAsManyMembersAsItsServerHas() {
        SubjectIndex idx = new SubjectIndex();
        Local local = new Local();
        Peer route = new Peer();
        idx.insert(new Subscription(local, "orders.new", "workers", "1"));
        Subscription remote = new Subscription(route, "orders.new", "workers", "r1");
        remote.weight(3); // RS+ ... workers 3: three members on the peer's server
        idx.insert(remote);
        int n = 4000;
        for (int i = 0; i < n; i++) {
            assertTrue(MessageProcessor.process(idx.match("orders.new"), msg, batch));
        }
        assertEquals(n, local.got.size() + route.copies.size(), "each message once");
        // 3 of 4 expected (sd ~27 messages); unweighted it would be half
        assertTrue(route.copies.size() > 2700 && route.copies.size() < 3300, "peer took " + route.copies.size());
    }

    @Test
    void everyPlainSubscriptionOfALocalClientGetsTheMessage() {
        SubjectIndex idx = new SubjectIndex();
        Local a = new Local();
        idx.insert(new Subscription(a, "orders.*", null, "1"));
        idx.insert(new Subscription(a, "orders.>", null, "2"));
        assertTrue(MessageProcessor.process(idx.match("orders.new"), msg, batch));
        assertEquals(List.of("1", "2"), a.got.stream().sorted().toList());
    }

    @Test
    void aPeerWithSeveralMatchingInterestsGetsOneCopyNamingItsQueues() {
        SubjectIndex idx = new SubjectIndex();
        Peer route = new Peer();
        idx.insert(new Subscription(route, "orders.*", null, "r1"));
        idx.insert(new Subscription(route, "orders.>", null, "r2"));
        idx.insert(new Subscription(route, "orders.new", "workers", "r3"));
        assertTrue(MessageProcessor.process(idx.match("orders.new"), msg, batch));
        assertEquals(List.of(List.of("workers")), route.copies);
    }

    @Test
    void aQueueGroupHandsTheMessageToOneMember() {
        SubjectIndex idx = new SubjectIndex();
        Local a = new Local();
        for (int i = 0; i < 5; i++) {
            idx.insert(new Subscription(a, "orders.new", "q", "m" + i));
        }
        for (int i = 0; i < 100; i++) {
            MessageProcessor.process(idx.match("orders.new"), msg, batch);
        }
        assertEquals(100, a.got.size());
        assertTrue(a.got.stream().distinct().count() > 1, "members are picked at random");
    }

    @Test
    void aMessageFromARouteIsNeverForwardedToAnotherRoute() {
        SubjectIndex idx = new SubjectIndex();
        Peer route = new Peer();
        Local client = new Local();
        idx.insert(new Subscription(route, "orders.>", null, "r"));
        idx.insert(new Subscription(client, "orders.>", null, "c"));
        msg.origin = ConnectionKind.ROUTER;
        assertTrue(MessageProcessor.process(idx.match("orders.new"), msg, batch));
        assertEquals(List.of(), route.copies);
        assertEquals(List.of("c"), client.got);
        idx.remove(idx.all().stream().filter(s -> s.sid().equals("c")).findFirst().orElseThrow());
        assertFalse(MessageProcessor.process(idx.match("orders.new"), msg, batch), "no local interest: no responders");
    }
}
