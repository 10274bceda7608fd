package io.natsjvm.server.events;

import io.natsjvm.server.account.LatencySample;
import io.natsjvm.server.account.ServiceLatencyReporter;
import io.natsjvm.server.log.GoFormat;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * Service latency samples as nats-server 2.9.10 computes them, published on the export's results
 * subject in the exporting account: service latency is the time from the request to the first
 * response less the responder's RTT, total adds the requester's RTT; the requester is described
 * as the import shares it ({@code {"acc","rtt"}} unless {@code share}), the responder fully.
 * A responder on another server (a route) is not described: the reference merges a second
 * measurement from that server, which this server does not exchange.
 */
public final class ServiceLatencies implements ServiceLatencyReporter {
    private final RequestInfos infos;
    private final Supplier<SystemEvents> events;
    private final Nuid ids = new Nuid();

    public ServiceLatencies(RequestInfos infos, Supplier<SystemEvents> events) {
        this.infos = infos;
        this.events = events;
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
        publish(s, 200, null, requestor, served, requestorRtt, service, system, total);
    }

    @Override
    public void failed(LatencySample s, int status, String description) {
        ClientInfo requestor = infos.info(s.requestor(), s.requestorAccount(), s.share());
        publish(s, status, description, requestor, null, requestor == null ? 0 : requestor.rtt(), 0, 0, 0);
    }

    private void publish(LatencySample s, int status, String description, ClientInfo requestor, ClientInfo responder,
            long requestorRtt, long service, long system, long total) {
        SystemEvents sys = events.get();
        if (sys == null) {
            return;
        }
        ServiceLatencyEvent e = new ServiceLatencyEvent(ServiceLatencyEvent.TYPE, ids.next(),
                GoFormat.time(Instant.now()), status, description, requestor, responder, s.header(),
                GoFormat.time(s.requested().minusNanos(requestorRtt)), service, system, total);
        sys.send(s.exporter(), s.results(), server -> e);
    }
}
