package io.natsjvm.tools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/** Turns one system event into one readable line. Pure: subject and JSON in, text out. */
final class EventFormatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventFormatter() {
    }

    static String format(String subject, byte[] payload) {
        JsonNode j;
        try {
            j = JSON.readTree(payload);
        } catch (Exception e) {
            return subject + " " + new String(payload, StandardCharsets.UTF_8);
        }
        String[] t = subject.split("\\.");
        String last = t[t.length - 1];
        if (subject.endsWith(".CLIENT.AUTH.ERR")) {
            return time(j.path("timestamp")) + " AUTH ERROR  " + client(j) + " reason=\"" + j.path("reason").asText()
                    + "\"";
        }
        if (t.length == 4 && t[1].equals("ACCOUNT") && last.equals("CONNECT")) {
            return time(j.path("timestamp")) + " CONNECT     " + client(j);
        }
        if (t.length == 4 && t[1].equals("ACCOUNT") && last.equals("DISCONNECT")) {
            return time(j.path("timestamp")) + " DISCONNECT  " + client(j) + " reason=\"" + j.path("reason").asText()
                    + "\" sent=" + stats(j.path("sent")) + " received=" + stats(j.path("received"));
        }
        if (t.length == 5 && t[3].equals("LEAFNODE")) {
            JsonNode l = j.path("leafnode");
            String line = time(j.path("timestamp")) + (last.equals("CONNECT") ? " LEAF UP     " : " LEAF DOWN   ")
                    + "acc=" + j.path("acc").asText() + " leaf=" + l.path("name").asText() + " addr="
                    + l.path("ip").asText() + ":" + l.path("port").asInt();
            if (last.equals("DISCONNECT")) {
                line += " reason=\"" + j.path("reason").asText() + "\" sent=" + stats(j.path("sent")) + " received="
                        + stats(j.path("received"));
            }
            return line;
        }
        if (last.equals("CONNS")) {
            return time(j.path("timestamp")) + " CONNS       acc=" + j.path("acc").asText() + " conns="
                    + j.path("conns").asInt() + " leafnodes=" + j.path("leafnodes").asInt() + " sent="
                    + stats(j.path("sent")) + " received=" + stats(j.path("received"));
        }
        if (last.equals("STATSZ")) {
            JsonNode s = j.path("statsz");
            return time(j.at("/server/time")) + " STATSZ      server=" + j.at("/server/name").asText() + " conns="
                    + s.path("connections").asInt() + " subs=" + s.path("subscriptions").asLong() + " in="
                    + stats(s.path("received")) + " out=" + stats(s.path("sent")) + " slow="
                    + s.path("slow_consumers").asLong() + " mem=" + bytes(s.path("mem").asLong()) + " cpu="
                    + s.path("cpu").asDouble() + "%";
        }
        if (last.equals("SHUTDOWN")) {
            return time(j.path("time")) + " SHUTDOWN    server=" + j.path("name").asText() + " (" + j.path("id").asText()
                    + ")";
        }
        return subject + " " + j;
    }

    private static String client(JsonNode j) {
        JsonNode c = j.path("client");
        StringBuilder b = new StringBuilder("acc=").append(c.path("acc").asText());
        if (c.hasNonNull("user")) {
            b.append(" user=").append(c.path("user").asText());
        }
        if (c.hasNonNull("name")) {
            b.append(" name=\"").append(c.path("name").asText()).append('"');
        }
        b.append(" from ").append(c.path("host").asText()).append(" cid=").append(c.path("id").asLong());
        if (c.hasNonNull("lang")) {
            b.append(" client=").append(c.path("lang").asText()).append('/').append(c.path("ver").asText(""));
        }
        return b.toString();
    }

    private static String stats(JsonNode d) {
        return d.path("msgs").asLong() + " msgs/" + bytes(d.path("bytes").asLong());
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format("%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format("%.1f GiB", n / (1024.0 * 1024 * 1024));
    }

    private static String time(JsonNode t) {
        String s = t.asText("");
        // 2026-11-25T03:30:06.853625763Z -> 03:30:06.853
        int tpos = s.indexOf('T');
        if (tpos < 0 || s.length() < tpos + 9) {
            return s;
        }
        String hms = s.substring(tpos + 1, tpos + 9);
        int dot = s.indexOf('.', tpos);
        String ms = dot > 0 ? (s.substring(dot + 1).replace("Z", "") + "000").substring(0, 3) : "000";
        return hms + "." + ms;
    }
}
