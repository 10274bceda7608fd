package io.natsjvm.server.account;

import io.natsjvm.resolver.claims.Export;
import io.natsjvm.server.delivery.FlushBatch;
import io.natsjvm.server.delivery.MessageTarget;
import io.natsjvm.server.delivery.SubjectMapper;
import io.natsjvm.server.delivery.SubjectMappings;
import io.natsjvm.server.delivery.Subscription;
import io.natsjvm.server.protocol.ConnectionKind;
import io.natsjvm.server.protocol.InboundMessage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Requests to an imported service, forwarded to the exporter with a routable reply and, as
 * nats-server does, a {@code Nats-Request-Info} header naming the requester: its account and
 * round trip time, or its full details when the import shares them. A request that already went
 * through an import keeps the first requester, with this hop's importing account named as the
 * service; one from a leaf node that carries the header keeps it. A tracked export's sampled
 * requests start a {@link LatencySample}.
 */
record ServiceImportTarget(Account importer, Account exporter, Export export, boolean share, SubjectMapper mapper,
        ResponseRoutes responses, RequestorInfo requestors, Export.ServiceLatency tracked,
        ServiceLatencyReporter reporter) implements MessageTarget {
    /** The importer's requests are answered here: not interest to announce to peers. */
    @Override
    public boolean propagatesInterest() {
        return false;
    }

    @Override
    public boolean deliver(Subscription sub, InboundMessage m, FlushBatch batch) {
        String subject = mapper.map(m.subject);
        SubjectMappings exporterMappings = exporter.mappings();
        if (exporterMappings != null) {
            // as the reference: the exporting account's mappings apply to the imported request
            subject = exporterMappings.map(subject, null);
            if (subject == null) {
                return false;
            }
        }
        LatencySample sample = sample(m);
        String reply = null;
        if (m.hasReply()) {
            reply = responses.register(importer, m.reply(), export.responseType(), export.responseThresholdNanos(),
                    sample, reporter);
        } else if (sample != null) {
            reporter.failed(sample, 400, "Bad Request");
        }
        String info = requestInfo(m);
        InboundMessage copy = info == null ? SubjectMapper.copy(m, subject, reply)
                : RequestInfoHeader.copyWith(m, subject, reply, info);
        copy.publisher = m.publisher;
        copy.origin = m.origin;
        copy.fromSpoke = m.fromSpoke;
        copy.originCluster = m.originCluster;
        copy.serviceImported = true;
        boolean delivered;
        try {
            delivered = exporter.publish(copy, batch);
        } finally {
            copy.buf.release();
        }
        if (!delivered && reply != null) {
            responses.undelivered(reply);
        }
        // as nats-server: the import took the request, so its requester gets no "no responders"
        // status even when nobody in the exporting account serves it (it times out)
        return true;
    }

    /** The latency sample this request starts, or null when the export is not tracked or it was not drawn. */
    private LatencySample sample(InboundMessage m) {
        if (tracked == null || reporter == null) {
            return null;
        }
        Map<String, List<String>> chosen = LatencySampling.decide(tracked, m);
        if (chosen == null) {
            return null;
        }
        return new LatencySample(exporter, tracked.results(), m.publisher, importer.name(), share, Instant.now(),
                System.nanoTime(), chosen == LatencySampling.BY_PERCENTAGE ? null : chosen);
    }

    /** The header value this request should carry, or null to leave the message as it is. */
    private String requestInfo(InboundMessage m) {
        if (requestors == null) {
            return null;
        }
        String earlier = m.hasHeaders() && (m.serviceImported || m.origin == ConnectionKind.LEAF)
                ? RequestInfoHeader.value(m) : null;
        if (earlier != null) {
            return m.serviceImported ? requestors.chained(earlier, importer.name()) : null;
        }
        return requestors.of(m.publisher, importer.name(), share);
    }
}
