package io.natsjvm.server.account;

import io.natsjvm.resolver.claims.Export;
import io.natsjvm.server.protocol.InboundMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a request to a tracked service export is sampled, as nats-server 2.9.10 decides: by the
 * export's percentage, else by tracing headers the request carries (Jaeger's Uber-Trace-Id, Zipkin's
 * B3 and X-B3-*, W3C traceparent) that ask for sampling; those headers go into the sample.
 */
final class LatencySampling {
    /** Sampled by percentage: no header to report. */
    static final Map<String, List<String>> BY_PERCENTAGE = Map.of();

    private static final String UBER = "Uber-Trace-Id";
    private static final String UBER_CTX_PREFIX = "Uberctx-";
    private static final String TRACEPARENT = "Traceparent";
    private static final String TRACESTATE = "Tracestate";
    private static final String B3 = "B3";
    private static final String B3_SAMPLED = "X-B3-Sampled";
    private static final String B3_TRACE_ID = "X-B3-Traceid";
    private static final String B3_PARENT_SPAN_ID = "X-B3-Parentspanid";
    private static final String B3_SPAN_ID = "X-B3-Spanid";

    private LatencySampling() {
    }

    /** @return null when not sampled, {@link #BY_PERCENTAGE}, or the tracing headers that asked */
    static Map<String, List<String>> decide(Export.ServiceLatency latency, InboundMessage m) {
        int sampling = latency.sampling();
        if (sampling >= 100 || sampling > 0 && ThreadLocalRandom.current().nextInt(100) <= sampling) {
            return BY_PERCENTAGE;
        }
        if (m.headerLength <= 0) {
            return null;
        }
        Map<String, List<String>> h = headers(m);
        List<String> uber = h.get(UBER);
        if (uber != null) {
            String[] tk = uber.get(0).split(":", -1);
            if (tk.length == 4 && !tk[3].isEmpty() && tk[3].length() <= 2) {
                try {
                    if ((Integer.parseInt(tk[3], 16) & 1) == 1) {
                        Map<String, List<String>> out = new LinkedHashMap<>();
                        out.put(UBER, uber);
                        h.forEach((k, v) -> {
                            if (k.startsWith(UBER_CTX_PREFIX)) {
                                out.put(k, v);
                            }
                        });
                        return out;
                    }
                } catch (NumberFormatException notHex) {
                    return null;
                }
            }
            return null;
        }
        List<String> sampled = h.get(B3_SAMPLED);
        if (sampled != null && sampled.get(0).equals("1")) {
            return b3(h);
        }
        if (sampled != null && sampled.get(0).equals("0")) {
            return null;
        }
        if (h.containsKey(B3_TRACE_ID)) {
            return b3(h);
        }
        List<String> b3 = h.get(B3);
        if (b3 != null) {
            String[] tk = b3.get(0).split("-", -1);
            if (tk.length > 2 && tk[2].equals("0") || tk.length == 1 && tk[0].equals("0")) {
                return null;
            }
            return Map.of(B3, b3);
        }
        List<String> parent = h.get(TRACEPARENT);
        if (parent != null) {
            String[] tk = parent.get(0).split("-", -1);
            if (tk.length == 4 && tk[3].equals("01")) {
                Map<String, List<String>> out = new LinkedHashMap<>();
                out.put(TRACEPARENT, parent);
                if (h.containsKey(TRACESTATE)) {
                    out.put(TRACESTATE, h.get(TRACESTATE));
                }
                return out;
            }
        }
        return null;
    }

    private static Map<String, List<String>> b3(Map<String, List<String>> h) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String k : List.of(B3_SAMPLED, B3_TRACE_ID, B3_PARENT_SPAN_ID, B3_SPAN_ID)) {
            if (h.containsKey(k)) {
                out.put(k, h.get(k));
            }
        }
        return out;
    }

    /** The message's header lines as Go's MIME reader keys them (canonical case), values in order. */
    static Map<String, List<String>> headers(InboundMessage m) {
        String block = m.buf.toString(m.payloadIndex, m.headerLength, StandardCharsets.UTF_8);
        Map<String, List<String>> h = new LinkedHashMap<>();
        String[] lines = block.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = canonical(lines[i].substring(0, colon).trim());
            h.computeIfAbsent(key, k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        return h;
    }

    /** textproto.CanonicalMIMEHeaderKey: each dash-separated word capitalised, the rest lower case. */
    static String canonical(String key) {
        StringBuilder b = new StringBuilder(key.length());
        boolean upper = true;
        for (char c : key.toCharArray()) {
            b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return b.toString();
    }
}
