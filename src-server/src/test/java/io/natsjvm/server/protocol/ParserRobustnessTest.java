package io.natsjvm.server.protocol;

import io.natsjvm.server.util.RawClient;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and truncated protocol bytes against a live server. The only acceptable outcomes are
 * well-formed replies (INFO, PONG, +OK, MSG/HMSG frames, -ERR lines), optionally followed by a
 * close; no exception may reach the event loop and other clients must not notice.
 */
class ParserRobustnessTest {
    private static final String[] VALID = {
            "CONNECT {\"verbose\":true,\"headers\":true}\r\n", "PING\r\n", "PONG\r\n", "SUB foo 1\r\n",
            "SUB foo.* q 2\r\n", "UNSUB 1\r\n", "UNSUB 2 5\r\n", "PUB foo 5\r\nhello\r\n",
            "PUB foo.bar reply 0\r\n\r\n", "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "+OK\r\n", "-ERR 'x'\r\n",
    };

    @Test
    void randomAndTruncatedInputNeverCrashesTheServer() throws Exception {
        Random rnd = new Random(42);
        try (TestServer s = TestServer.start(o -> o.maxPayload = 4096); RawClient bystander = s.raw()) {
            bystander.connect("{}");
            bystander.send("SUB watch 1\r\n").expectAlive();
            for (int round = 0; round < 300; round++) {
                byte[] input = generate(rnd);
                String reply = exchange(s.port(), input);
                assertReplyIsWellFormed(reply, input);
                if (round % 50 == 0) {
                    bystander.send("PUB watch 2\r\nok\r\n").expect("MSG watch 1 2").expect("ok");
                }
            }
            assertEquals(0, s.server().internalErrorCount(), "exceptions reached the connection handler");
            bystander.expectAlive();
        }
    }

    private static byte[] generate(Random rnd) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int parts = 1 + rnd.nextInt(6);
        for (int i = 0; i < parts; i++) {
            int kind = rnd.nextInt(4);
            if (kind == 0) {
                byte[] junk = new byte[rnd.nextInt(64)];
                rnd.nextBytes(junk);
                b.writeBytes(junk);
            } else {
                byte[] op = VALID[rnd.nextInt(VALID.length)].getBytes(StandardCharsets.US_ASCII);
                int len = kind == 1 ? rnd.nextInt(op.length + 1) : op.length; // truncated or whole
                b.write(op, 0, len);
                if (kind == 3 && len > 0) { // flip one byte
                    byte[] all = b.toByteArray();
                    all[all.length - 1 - rnd.nextInt(len)] ^= (byte) (1 + rnd.nextInt(255));
                    b.reset();
                    b.writeBytes(all);
                }
            }
        }
        return b.toByteArray();
    }

    /** Sends the bytes, half-closes nothing, and collects what the server says within a short time. */
    private static String exchange(int port, byte[] input) throws Exception {
        try (Socket sock = new Socket("127.0.0.1", port)) {
            sock.setSoTimeout(150);
            sock.getOutputStream().write(input);
            sock.getOutputStream().flush();
            InputStream in = sock.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | SocketException done) {
                // open and quiet, or reset: both fine
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void assertReplyIsWellFormed(String reply, byte[] input) {
        String ctx = "input=" + new String(input, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        int i = 0;
        while (i < reply.length()) {
            int eol = reply.indexOf("\r\n", i);
            assertTrue(eol >= 0, "unterminated reply line at " + i + " in " + reply + " / " + ctx);
            String line = reply.substring(i, eol);
            i = eol + 2;
            if (line.startsWith("MSG ") || line.startsWith("HMSG ")) {
                String[] p = line.split(" ");
                int size = Integer.parseInt(p[p.length - 1]);
                assertTrue(reply.startsWith("\r\n", i + size), "payload framing in " + reply + " / " + ctx);
                i += size + 2;
                continue;
            }
            assertTrue(line.startsWith("INFO {") || line.equals("PONG") || line.equals("PING") || line.equals("+OK")
                    || line.matches("-ERR '[^']+'"), "unexpected line '" + line + "' / " + ctx);
        }
    }
}
