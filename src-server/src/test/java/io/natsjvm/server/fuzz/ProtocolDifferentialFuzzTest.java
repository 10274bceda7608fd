package io.natsjvm.server.fuzz;

import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential fuzzing of the client protocol: edge cases and seeded byte-level mutations of a valid
 * session (deleted, inserted, replaced and duplicated bytes, truncation) are sent to nats-server
 * 2.9.10 and to this server; each must answer with the same bytes and leave the connection open or
 * closed alike. {@code -Dfuzz.cases=N -Dfuzz.seed=S} runs a longer one.
 */
class ProtocolDifferentialFuzzTest {
    private static final int CASES = Integer.getInteger("fuzz.cases", 150);
    private static final long SEED = Long.getLong("fuzz.seed", 20261205L);

    private static final String SESSION = "CONNECT {\"verbose\":true,\"pedantic\":true,\"headers\":true,"
            + "\"protocol\":1}\r\nSUB foo 1\r\nSUB bar q 2\r\nPUB foo 5\r\nhello\r\nPUB bar r.1 0\r\n\r\n"
            + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nUNSUB 1\r\nPUB foo 1\r\nx\r\nPING\r\n";

    /** Edge cases found by comparing the servers by hand; each once differed. */
    private static final List<String> EDGES = List.of(
            "CONNECT {}\r\nUNSUB \n1\r\n",
            "CONNECT {}\r\nSUB \nfoo 1\r\n",
            "CONNECT {}\r\nPUB \nfoo 1\r\nx\r\n",
            "CONNECT\n{}\r\n",
            "CONNECT {}\r\nSUB f\roo 1\r\n",
            "CONNECT {}\r\nPING\rPING\r\n",
            "CONNECT {}\r\nUNSUB 1\n\r\n",
            "CONNECT {}\r\n\nPING\r\n",
            "CONNECT {} x\r\n",
            "CONNECT {}\r\nPUB foo 3\r\nab\r\n",
            "SUB foo 1\r\n",
            "CONNECT {}\r\nPUB foo.* 0\r\n\r\n",
            "CONNECT {}\r\nSUB foo..bar 1\r\n",
            "CONNECT {}\r\nHPUB foo 5 2\r\n",
            "CONNECT {}\r\n-ERR 'x'\r\n",
            "CONNECT {\"headers\":true}\r\nSUB foo 1\r\nPUB foo 005\r\nhello\r\nHPUB foo 012 014\r\nNATS/1.0\r\n\r\nhi\r\n");

    @Test
    void edgeCasesAndMutatedSessionsGetTheSameAnswers() throws Exception {
        try (ReferenceServer reference = ReferenceServer.start("");
             TestServer ours = TestServer.start()) {
            List<String> inputs = new ArrayList<>(EDGES);
            Random random = new Random(SEED);
            for (int i = 0; i < CASES; i++) {
                inputs.add(mutate(SESSION, random));
            }
            List<String> differences = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                String input = inputs.get(i) + "\r\nPING\r\n";
                String theirs = exchange(reference.port(), input);
                String ours2 = exchange(ours.port(), input);
                if (!theirs.equals(ours2)) {
                    differences.add("#" + i + " " + printable(input) + "\n    nats-server: " + printable(theirs)
                            + "\n    ours:        " + printable(ours2));
                }
            }
            assertTrue(differences.isEmpty(), differences.size() + " of " + inputs.size()
                    + " protocol inputs answered differently:\n" + String.join("\n", differences));
        }
    }

    /**
     * CONNECT JSON as Go's encoding/json reads it, on a server that requires user {@code a}: keys
     * fold case (also U+017F and U+212A, but not a dotless i), a null changes nothing, the last key
     * wins, wrong JSON types, bad numbers and trailing values close the connection.
     */
    private static final List<String> CONNECT_JSON = List.of(
            "{\"VERBOSE\":true,\"USER\":\"a\",\"PASS\":\"b\"}",
            "{\"verbose\":true,\"\u017fig\":\"x\",\"user\":\"a\",\"pass\":\"b\"}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":3000000000}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":1.0}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"verbose\":false}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"name\":null}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"x\":{\"y\":[1,2,{}]}}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\"} x",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":1e2}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":-1}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":\"1\"}",
            "{\"verbose\":\"true\",\"user\":\"a\",\"pass\":\"b\"}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":99999999999999999999}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"tls_required\":1}",
            "{\"verbose\":true,\"u\u017fer\":\"a\",\"pass\":\"b\"}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"pedant\u0131c\":true}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"echo\":[]}",
            "null",
            "[]",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"user\":null}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"Verbose\":false}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"x\":[1,}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"x\":01}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\"}{}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\"} ",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"name\":\"\\u00e9\\ud83d\\ude00\"}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"name\":\"\\x\"}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"NO_RESPONDERS\":true,\"HEADERS\":true}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":-0}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":1E2}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":-9223372036854775808}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":9223372036854775808}",
            "\"x\"",
            "1",
            "true",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"tls_required\":null}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"echo\":{\"a\":1}}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"name\":[\"x\"]}",
            "{\"verbose\":true,\"user\":\"a\",\"pass\":\"b\",\"protocol\":true}");

    @Test
    void connectJsonGetsTheReferencesVerdicts() throws Exception {
        String config = "authorization { user: a, password: b }\n";
        try (ReferenceServer reference = ReferenceServer.start(config);
             TestServer ours = TestServer.fromConfig(config)) {
            List<String> differences = new ArrayList<>();
            for (String json : CONNECT_JSON) {
                // the wire carries UTF-8; exchange() sends one byte per char
                String input = new String(("CONNECT " + json + "\r\nPING\r\n").getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.ISO_8859_1);
                String theirs = exchange(reference.port(), input);
                String ours2 = exchange(ours.port(), input);
                if (!theirs.equals(ours2)) {
                    differences.add(printable(input) + "\n    nats-server: " + printable(theirs)
                            + "\n    ours:        " + printable(ours2));
                }
            }
            assertTrue(differences.isEmpty(), differences.size() + " of " + CONNECT_JSON.size()
                    + " CONNECTs answered differently:\n" + String.join("\n", differences));
        }
    }

    private static String mutate(String s, Random r) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        String alphabet = " \t\r\n.*>x0-9";
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(5)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
                case 2 -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                case 3 -> {
                    int end = Math.min(b.length(), at + 1 + r.nextInt(12));
                    b.insert(at, b.substring(at, end));
                }
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    /**
     * Sends the input after INFO and reads until PONG after the last PING, the close, or a quiet
     * 800 ms (a server still waiting for a payload): the bytes, then "closed" or "open".
     */
    static String exchange(int port, String input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            while (in.read() != '\n') {
                // INFO differs by design (ids, names, versions)
            }
            s.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
            s.setSoTimeout(800); // generous: a busy CI machine must not turn a slow answer into "quiet"
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pings = count(input, "PING\r\n");
            String state = "open";
            try {
                byte[] buf = new byte[4096];
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        state = "closed";
                        break;
                    }
                    out.write(buf, 0, n);
                    if (count(out.toString(StandardCharsets.ISO_8859_1), "PONG\r\n") >= pings) {
                        break;
                    }
                }
            } catch (SocketTimeoutException quiet) {
                state = "open";
            } catch (IOException reset) {
                state = "closed";
            }
            return out.toString(StandardCharsets.ISO_8859_1) + "<" + state + ">";
        }
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String printable(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }
}
