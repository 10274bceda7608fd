package io.natsjvm.tools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** scripts/servers: discovers servers with $SYS.REQ.SERVER.PING and prints them as a table. */
public final class Servers {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Servers() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        ToolOptions o = ToolOptions.parseOrReport(args, err);
        if (o == null) {
            return 2;
        }
        if (o.help) {
            out.print(ToolOptions.usage("servers [--wait MILLIS]",
                    "Sends $SYS.REQ.SERVER.PING and lists every server that answers within --wait (1000 ms)."));
            return 0;
        }
        List<JsonNode> replies = new ArrayList<>();
        try (Connection nc = Nats.connect(o.natsOptions())) {
            String inbox = nc.createInbox();
            Subscription sub = nc.subscribe(inbox);
            nc.publish("$SYS.REQ.SERVER.PING", inbox, new byte[0]);
            nc.flush(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + o.wait.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                Message m = sub.nextMessage(Duration.ofNanos(left));
                // A no-responders status (nobody serves PING in this account) is not a server.
                if (m != null && !m.isStatusMessage() && m.getData() != null && m.getData().length > 0) {
                    replies.add(JSON.readTree(m.getData()));
                }
            }
        } catch (IOException e) {
            err.println("cannot connect to " + o.server + ": " + e.getMessage());
            return 1;
        }
        if (replies.isEmpty()) {
            err.println("no server answered (are the credentials a system-account user?)");
            return 1;
        }
        replies.sort(Comparator.comparing(j -> j.at("/server/name").asText()));
        out.print(table(replies));
        return 0;
    }

    static String table(List<JsonNode> replies) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "ID", "VERSION", "HOST", "CONNS", "SUBS", "MSGS IN", "MSGS OUT", "BYTES IN",
                "BYTES OUT", "SLOW", "MEM", "UPTIME"});
        for (JsonNode j : replies) {
            JsonNode s = j.path("statsz");
            String id = j.at("/server/id").asText();
            rows.add(new String[] {
                    j.at("/server/name").asText(),
                    id.length() > 12 ? id.substring(0, 12) + "…" : id,
                    j.at("/server/ver").asText(),
                    j.at("/server/host").asText(),
                    Long.toString(s.path("connections").asLong()),
                    Long.toString(s.path("subscriptions").asLong()),
                    Long.toString(s.at("/received/msgs").asLong()),
                    Long.toString(s.at("/sent/msgs").asLong()),
                    EventFormatter.bytes(s.at("/received/bytes").asLong()),
                    EventFormatter.bytes(s.at("/sent/bytes").asLong()),
                    Long.toString(s.path("slow_consumers").asLong()),
                    EventFormatter.bytes(s.path("mem").asLong()),
                    uptime(s.path("start").asText())});
        }
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                b.append(String.format("%-" + w[i] + "s", r[i]));
                b.append(i + 1 < r.length ? "  " : "\n");
            }
        }
        b.append(replies.size()).append(replies.size() == 1 ? " server\n" : " servers\n");
        return b.toString();
    }

    private static String uptime(String start) {
        try {
            long s = Duration.between(Instant.parse(start), Instant.now()).getSeconds();
            return s >= 86400 ? s / 86400 + "d" + s % 86400 / 3600 + "h" : s >= 3600 ? s / 3600 + "h" + s % 3600 / 60
                    + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
        } catch (Exception e) {
            return "?";
        }
    }
}
