package io.natsjvm.server.auth;

import io.natsjvm.server.util.Differential;
import io.natsjvm.server.util.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Service imports on the wire, byte for byte against nats-server 2.9.10 on the same config: the
 * {@code Nats-Request-Info} header a request gets when it crosses into the exporting account
 * (added to a plain request, replacing a forged one, stripped for a responder without headers,
 * the full client details when the import shares them), Stream responses flowing until an empty
 * one while a Singleton export takes one response, and an export with an account token position.
 */
class ServiceImportWireTest {
    static final String CONF = """
            server_name: srv
            accounts {
              A {
                users = [ {user: a, password: a} ]
                exports = [
                  {service: "svc.>"}
                  {service: "feed.>", response: stream}
                  {service: "tok.*", account_token_position: 2}
                ]
              }
              B {
                users = [ {user: b, password: b} ]
                imports = [
                  {service: {account: A, subject: "svc.>"}}
                  {service: {account: A, subject: "feed.>"}}
                  {service: {account: A, subject: "tok.B"}}
                ]
              }
              C {
                users = [ {user: c, password: c} ]
                imports = [ {service: {account: A, subject: "svc.share"}, share: true} ]
              }
            }
            """;

    /** A MSG or HMSG as read, with what varies between runs (reply ids, times, ids, RTTs) masked. */
    record Delivery(String line, String reply, String text) {
    }

    static Delivery read(RawClient c) throws Exception {
        String line = c.readLine();
        String[] t = line.split(" ");
        boolean headers = t[0].equals("HMSG");
        int size = Integer.parseInt(t[t.length - 1]);
        String reply = t.length == (headers ? 6 : 5) ? t[3] : null;
        String body = new String(c.readBytes(size + 2), StandardCharsets.UTF_8);
        StringBuilder shown = new StringBuilder(t[0] + " " + t[1] + " " + t[2] + (reply == null ? "" : " "
                + (reply.startsWith("_R_.") ? "_R_" : reply)));
        if (headers) {
            int hdr = Integer.parseInt(t[t.length - 2]);
            assertEquals("\r\n\r\n", body.substring(hdr - 4, hdr), "the header length points at its end: " + body);
            shown.append(" hdr=").append(mask(body.substring(0, hdr)));
            body = body.substring(hdr);
        }
        shown.append(" payload=").append(body, 0, body.length() - 2);
        return new Delivery(line, reply, shown.toString());
    }

    private static String mask(String header) {
        return header.replaceAll("\"rtt\":\\d+", "\"rtt\":N").replaceAll("\"start\":\"[^\"]+\"", "\"start\":T")
                .replaceAll("\"id\":\\d+", "\"id\":N").replace("\r\n", "|");
    }

    /** A raw login as {@code user} (password the same) that names itself and says whether it takes headers. */
    static RawClient login(int port, String user, boolean headers) throws Exception {
        RawClient c = new RawClient(port);
        c.connect("{\"user\":\"" + user + "\",\"pass\":\"" + user + "\",\"headers\":" + headers
                + ",\"name\":\"n-" + user + "\",\"lang\":\"raw\",\"version\":\"1.2.3\",\"protocol\":1}");
        return c;
    }

    /** Everything {@code c} gets up to the PONG of a PING sent now. */
    private static List<String> drain(RawClient c) throws Exception {
        c.send("PING\r\n");
        List<String> got = new ArrayList<>();
        while (true) {
            String line = c.readLine();
            if (line.equals("PONG")) {
                return got;
            }
            String[] t = line.split(" ");
            got.add(line + " " + new String(c.readBytes(Integer.parseInt(t[t.length - 1]) + 2),
                    StandardCharsets.UTF_8).trim());
        }
    }

    static List<String> session(int port) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient a = login(port, "a", true); RawClient plain = login(port, "a", false);
             RawClient b = login(port, "b", true); RawClient c = login(port, "c", true)) {
            a.send("SUB svc.x 1\r\nSUB svc.share 2\r\nSUB feed.> 3\r\nSUB tok.* 4\r\n");
            plain.send("SUB svc.plain 1\r\n");
            a.expectAlive();
            plain.expectAlive();
            b.send("SUB inbox 9\r\n");
            b.expectAlive();

            b.send("PUB svc.x inbox 2\r\nhi\r\n");
            Delivery d = read(a);
            out.add(d.text());
            a.send("PUB " + d.reply() + " 3\r\none\r\nPUB " + d.reply() + " 3\r\ntwo\r\n");
            a.expectAlive();
            out.add("singleton: " + drain(b));

            String forged = "NATS/1.0\r\nFoo: bar\r\nNats-Request-Info: {\"acc\":\"SYS\"}\r\n\r\n";
            b.send("HPUB svc.x inbox " + forged.length() + " " + (forged.length() + 2) + "\r\n" + forged + "hi\r\n");
            out.add(read(a).text());

            b.send("PUB svc.plain inbox 2\r\nhi\r\n");
            out.add(read(plain).text());

            b.send("PUB feed.x inbox 2\r\nhi\r\n");
            d = read(a);
            out.add(d.text());
            a.send("PUB " + d.reply() + " 1\r\n1\r\nPUB " + d.reply() + " 1\r\n2\r\nPUB " + d.reply() + " 0\r\n\r\nPUB "
                    + d.reply() + " 5\r\nafter\r\n");
            a.expectAlive();
            out.add("stream: " + drain(b));

            b.send("PUB tok.B inbox 2\r\nhi\r\n");
            out.add(read(a).text());

            c.send("PUB svc.share inbox 2\r\nhi\r\n");
            out.add(read(a).text());
        }
        return out;
    }

    @Test
    void requestsCarryTheRequesterAndResponsesFlowAsWithTheReference() throws Exception {
        List<String> ours = Differential.sameAsReference(CONF, ServiceImportWireTest::session);
        assertEquals("HMSG svc.x 1 _R_ hdr=NATS/1.0|Nats-Request-Info: {\"acc\":\"B\",\"rtt\":N}|| payload=hi",
                ours.get(0));
        assertEquals("singleton: [MSG inbox 9 3 one]", ours.get(1));
    }
}
