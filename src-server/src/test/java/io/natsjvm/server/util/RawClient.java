package io.natsjvm.server.util;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A raw-socket NATS client for wire tests: send protocol text, expect lines. Reads block with a
 * timeout, so a missing reply fails the test instead of hanging it.
 */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String info;

    public RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true); // as NATS clients do: no Nagle delay between a request and the next
        in = socket.getInputStream();
        out = socket.getOutputStream();
        info = readLine();
    }

    public Socket socket() {
        return socket;
    }

    /** The INFO line received on connect (without CRLF). */
    public String info() {
        return info;
    }

    public RawClient send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    public RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** CONNECT (with user a/a when {@code auth}), then PING and wait for PONG. */
    public RawClient connect(String json) throws IOException {
        // Like every real client, say verbose:false unless the test asks otherwise: a connection
        // is verbose until told not to be (the reference's default).
        if (!json.contains("\"verbose\"")) {
            json = json.trim().equals("{}") ? "{\"verbose\":false}" : "{\"verbose\":false," + json.trim().substring(1);
        }
        send("CONNECT " + json + "\r\nPING\r\n");
        String line = readLine();
        while (line.equals("+OK")) {
            line = readLine();
        }
        assertEquals("PONG", line);
        return this;
    }

    /** Next line without CRLF; fails on timeout or EOF. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c;
            try {
                c = in.read();
            } catch (SocketTimeoutException e) {
                fail("timed out waiting for a line; got so far: '" + b.toString(StandardCharsets.UTF_8) + "'");
                return null;
            }
            if (c < 0) {
                fail("connection closed while waiting for a line; got so far: '" + b.toString(StandardCharsets.UTF_8) + "'");
            }
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
    }

    public byte[] readBytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "short read");
        return b;
    }

    public RawClient expect(String line) throws IOException {
        assertEquals(line, readLine());
        return this;
    }

    public RawClient expectMatches(String regex) throws IOException {
        String l = readLine();
        assertTrue(l.matches(regex), "line '" + l + "' does not match " + regex);
        return this;
    }

    /** Asserts the server closes the connection (EOF or reset) without sending more lines. */
    public void expectClosed() throws IOException {
        try {
            int c = in.read();
            if (c >= 0) {
                ByteArrayOutputStream rest = new ByteArrayOutputStream();
                rest.write(c);
                socket.setSoTimeout(500);
                try {
                    rest.write(in.readNBytes(200));
                } catch (IOException ignored) {
                    // best effort for the message
                }
                fail("expected close, got: '" + rest.toString(StandardCharsets.UTF_8) + "'");
            }
        } catch (SocketTimeoutException e) {
            fail("connection still open");
        } catch (SocketException e) {
            // reset counts as closed
        }
    }

    /** Asserts the connection is still open and responsive (PING/PONG round trip). */
    public void expectAlive() throws IOException {
        send("PING\r\n");
        expect("PONG");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
