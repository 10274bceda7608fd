package io.natsjvm.server.monitor;

import io.natsjvm.resolver.claims.Export;
import io.natsjvm.server.account.ImportWiring;
import io.natsjvm.server.log.GoFormat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An account's exports and imports as nats-server 2.9.10's account INFO / ACCOUNTZ detail shows
 * them ({@code ExtExport}, {@code ExtImport}): exported services before streams, imported streams
 * before services (the reference's loops; within them its order is a Go map's); a service import named by
 * its local subject with the exporter's as {@code to}, a stream import by the exporter's subject
 * with the local one as {@code local_subject}.
 */
final class AccountDetail {
    private AccountDetail() {
    }

    static List<Map<String, Object>> exports(List<Export> exports) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (boolean services : new boolean[] {true, false}) {
            for (Export e : exports) {
                if (e.isService() != services || e.subject() == null) {
                    continue;
                }
                JsonMap m = new JsonMap().with("subject", e.subject()).with("type", e.type());
                m.omitEmpty("token_req", e.tokenRequired());
                if (services) {
                    m.with("response_type", responseType(e.responseType()));
                    if (e.latency() != null) {
                        m.with("service_latency", latency(e.latency()));
                    }
                }
                m.omitEmpty("approved_accounts", e.approvedAccounts());
                if (!e.revocations().isEmpty()) {
                    Map<String, Object> revoked = new TreeMap<>();
                    e.revocations().forEach((k, at) -> revoked.put(k, GoFormat.time(Instant.ofEpochSecond(at))));
                    m.with("revoked_activations", revoked);
                }
                out.add(m);
            }
        }
        return out;
    }

    static List<Map<String, Object>> imports(List<ImportWiring.Wired> wired, List<Map<String, Object>> system) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<ImportWiring.Wired> streamsFirst = new ArrayList<>(wired);
        streamsFirst.sort((x, y) -> Boolean.compare(x.imp().isService(), y.imp().isService()));
        for (ImportWiring.Wired w : streamsFirst) {
            JsonMap m = new JsonMap();
            if (w.imp().isService()) {
                m.with("subject", w.imp().importerSubject()).with("account", w.imp().account())
                        .with("to", w.imp().subject()).with("type", "service");
            } else {
                m.with("subject", w.imp().subject()).with("account", w.imp().account())
                        .with("local_subject", w.imp().importerSubject()).with("type", "stream");
            }
            m.with("invalid", false).with("share", w.imp().isService() && w.imp().share()).with("tracking", false);
            if (w.tracked() != null) {
                m.with("latency", latency(w.tracked()));
            }
            out.add(m);
        }
        out.addAll(system);
        return out;
    }

    /** The server's names for response types (its {@code ServiceRespType.String()}). */
    private static String responseType(String jwtType) {
        if (jwtType == null) {
            return "Singleton";
        }
        return switch (jwtType) {
            case "Stream" -> "Streamed";
            default -> jwtType;
        };
    }

    /** jwt.ServiceLatency: sampling 0 is written "headers". */
    private static Map<String, Object> latency(Export.ServiceLatency l) {
        return new JsonMap().with("sampling", l.headersOnly() ? "headers" : l.sampling()).with("results", l.results());
    }
}
