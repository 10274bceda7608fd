package io.natsjvm.server.events;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.server.account.Account;
import io.natsjvm.server.account.LatencySample;
import io.natsjvm.server.account.ServiceLatencyReporter;
import io.natsjvm.server.client.ClientConnection;
import io.natsjvm.server.client.RemoteLatencyTracking;
import io.natsjvm.server.log.GoFormat;
import io.natsjvm.server.log.ServerLog;
import io.natsjvm.server.protocol.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Service latency samples as nats-server 2.9.10 computes them, published on the export's results
 * subject in the exporting account: service latency is the time from the request to the first
 * response less the responder's RTT, total adds the requester's RTT; the requester is described
 * as the import shares it ({@code {"acc","rtt"}} unless {@code share}), the responder fully.
 *
 * <p>Across a cluster, as the reference: a tracked request's reply ends in {@code .<server
 * hash>.T}; the responder's server times the request from delivery to answer and sends that
 * measurement ("M2": responder, service time) to {@code $SYS.LATENCY.M2.<hash>}; the requester's
 * server merges it with its own (whichever comes first waits for the other) and publishes one
 * sample. Either side may be nats-server.
 */
public final class ServiceLatencies implements ServiceLatencyReporter, RemoteLatencyTracking {
    private static final String M2_SUBJECT = "$SYS.LATENCY.M2.";
    /** Go's zero time.Time as its JSON encodes it. */
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    private static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** A half waiting longer than this for the other is dropped (a lost server, a lost message). */
    private static final long WAIT_NANOS = 120_000_000_000L;

    private final RequestInfos infos;
    private final Supplier<SystemEvents> events;
    private final BiPredicate<Account, String> exportsService;
    private final String serverHash;
    private final Nuid ids = new Nuid();
    /** Cross-server halves by reply subject: our {@link Local} sample or the other server's {@link Remote}. */
    private final Map<String, Half> waiting = new ConcurrentHashMap<>();

    private sealed interface Half permits Local, Remote {
        long since();
    }

    /** Our half, the requester's side: everything but the responder, and where it is published. */
    private record Local(ServiceLatencyEvent sample, Account exporter, String results, long since) implements Half {
    }

    /** The responder server's half. */
    private record Remote(ClientInfo responder, long service, long since) implements Half {
    }

    public ServiceLatencies(RequestInfos infos, Supplier<SystemEvents> events,
            BiPredicate<Account, String> exportsService, String serverName) {
        this.infos = infos;
        this.events = events;
        this.exportsService = exportsService;
        this.serverHash = hash(serverName);
    }

    /** What requests crossing service imports say about their requester (the same client descriptions). */
    public RequestInfos infos() {
        return infos;
    }

    /** nats-server's 8-character server hash: SHA-256 of the name, each of the first bytes a base-62 digit. */
    static String hash(String serverName) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(serverName.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder(8);
            for (int i = 0; i < 8; i++) {
                b.append(DIGITS.charAt((sha[i] & 0xff) % DIGITS.length()));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** Listens for other servers' measurements of requests tracked here (system thread). */
    public void listen(SystemEvents sys, long cid) {
        InternalClient c = new InternalClient(sys.systemAccount(), sys::run, cid);
        c.subscribe(M2_SUBJECT + serverHash, m -> remoteMeasurement(m.payload()));
    }

    @Override
    public String trackingSuffix() {
        return "." + serverHash + ".T";
    }

    @Override
    public void answered(LatencySample s, Object responder, long answeredNanos) {
        ClientInfo requestor = infos.info(s.requestor(), s.requestorAccount(), s.share());
        ClientInfo served = infos.info(responder, s.exporter().name(), true);
        long requestorRtt = requestor == null ? 0 : requestor.rtt();
        long responderRtt = served == null ? 0 : served.rtt();
        long serviceRtt = answeredNanos - s.requestedNanos();
        long service = Math.max(0, serviceRtt - responderRtt);
        long total = requestorRtt + serviceRtt;
        long system = 0;
        if (responderRtt > 0) {
            system = Math.max(0, System.nanoTime() - answeredNanos);
            total += system;
        }
        publish(s, event(s, 200, null, requestor, served, requestorRtt, service, system, total));
    }

    @Override
    public void answeredRemotely(String reply, LatencySample s, long answeredNanos) {
        ClientInfo requestor = infos.info(s.requestor(), s.requestorAccount(), s.share());
        long requestorRtt = requestor == null ? 0 : requestor.rtt();
        long serviceRtt = answeredNanos - s.requestedNanos();
        Local ours = new Local(event(s, 200, null, requestor, null, requestorRtt, serviceRtt, 0,
                requestorRtt + serviceRtt), s.exporter(), s.results(), System.nanoTime());
        if (meet(reply, ours) instanceof Remote theirs) {
            publish(ours, theirs);
        }
    }

    @Override
    public void failed(LatencySample s, int status, String description) {
        ClientInfo requestor = infos.info(s.requestor(), s.requestorAccount(), s.share());
        publish(s, event(s, status, description, requestor, null, requestor == null ? 0 : requestor.rtt(), 0, 0, 0));
    }

    /** Another server's half arrived (system thread). */
    private void remoteMeasurement(byte[] payload) {
        String reply;
        Remote theirs;
        try {
            JsonNode n = Json.MAPPER.readTree(payload);
            reply = n.path("req_id").asText("");
            JsonNode m2 = n.path("m2");
            ClientInfo responder = m2.path("responder").isObject()
                    ? Json.MAPPER.treeToValue(m2.path("responder"), ClientInfo.class) : null;
            theirs = new Remote(responder, m2.path("service").asLong(0), System.nanoTime());
        } catch (Exception e) {
            ServerLog.get().error("Error unmarshalling remote latency measurement: %s", e.getMessage());
            return;
        }
        if (meet(reply, theirs) instanceof Local ours) {
            publish(ours, theirs);
        }
    }

    // ---------------------------------------------------------------- the responder's side

    @Override
    public boolean exportsService(Account account, String subject) {
        return exportsService.test(account, subject);
    }

    @Override
    public void responded(ClientConnection responder, TrackedReply request) {
        SystemEvents sys = events.get();
        String[] tokens = request.reply().split("\\.");
        if (sys == null || tokens.length < 3) {
            return;
        }
        ClientInfo info = infos.info(responder, request.account(), true);
        long rtt = info == null ? 0 : info.rtt();
        long service = Math.max(0, System.nanoTime() - request.deliveredNanos() - rtt);
        // the reference's remoteLatency: its ServiceLatency carries no type, id or time of its own
        ServiceLatencyEvent m2 = new ServiceLatencyEvent("", "", ZERO_TIME, 200, null, null, info, null,
                GoFormat.time(request.delivered()), service, 0, service + rtt);
        RemoteMeasurement body = new RemoteMeasurement(request.account(), request.reply(), m2);
        sys.send(sys.systemAccount(), M2_SUBJECT + tokens[tokens.length - 2], server -> body);
    }

    /** What goes to {@code $SYS.LATENCY.M2.<hash>}, as the reference's {@code remoteLatency}. */
    record RemoteMeasurement(String account, @JsonProperty("req_id") String reqId, ServiceLatencyEvent m2) {
    }

    // ---------------------------------------------------------------- building and publishing

    private ServiceLatencyEvent event(LatencySample s, int status, String description, ClientInfo requestor,
            ClientInfo responder, long requestorRtt, long service, long system, long total) {
        return new ServiceLatencyEvent(ServiceLatencyEvent.TYPE, ids.next(), GoFormat.time(Instant.now()), status,
                description, requestor, responder, s.header(), GoFormat.time(s.requested().minusNanos(requestorRtt)),
                service, system, total);
    }

    /**
     * The reference's merge: the responder server's service time and responder replace ours; what
     * is left of our round trip after them and the responder's RTT is system latency.
     */
    private void publish(Local ours, Remote theirs) {
        ServiceLatencyEvent m1 = ours.sample();
        long rtt = theirs.responder() == null ? 0 : theirs.responder().rtt();
        long system = Math.max(0, m1.service() - (theirs.service() + rtt));
        ServiceLatencyEvent merged = new ServiceLatencyEvent(m1.type(), m1.id(), m1.timestamp(), m1.status(),
                m1.description(), m1.requestor(), theirs.responder(), m1.header(), m1.start(),
                Math.max(0, theirs.service()), system, m1.total());
        publish(ours.exporter(), ours.results(), merged);
    }

    private void publish(LatencySample s, ServiceLatencyEvent e) {
        publish(s.exporter(), s.results(), e);
    }

    private void publish(Account exporter, String results, ServiceLatencyEvent e) {
        SystemEvents sys = events.get();
        if (sys != null) {
            sys.send(exporter, results, server -> e);
        }
    }

    /**
     * Leaves {@code half} for the other side, or takes the other side's if it came first.
     * @return the other half, or null when {@code half} now waits
     */
    private Half meet(String reply, Half half) {
        Half[] other = new Half[1];
        waiting.compute(reply, (k, v) -> {
            if (v != null && v.getClass() != half.getClass()) {
                other[0] = v;
                return null;
            }
            return half;
        });
        if (other[0] == null && waiting.size() > 1000) {
            long stale = System.nanoTime() - WAIT_NANOS;
            waiting.values().removeIf(h -> h.since() < stale);
        }
        return other[0];
    }
}
