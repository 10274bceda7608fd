package io.natsjvm.server.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The differential pattern of the wire tests: the same session against this server and against
 * nats-server 2.9.10 started from the same config, and the two transcripts must be equal.
 */
public final class Differential {
    private Differential() {
    }

    /** A session against a server's client port, returning what it observed. */
    @FunctionalInterface
    public interface Session<T> {
        T run(int port) throws Exception;
    }

    /** @return what the session observed on this server (equal to nats-server's) */
    public static <T> T sameAsReference(String config, Session<T> session) throws Exception {
        T ours;
        try (TestServer java = TestServer.fromConfig(config)) {
            ours = session.run(java.port());
        }
        try (ReferenceServer ref = ReferenceServer.start(config)) {
            assertEquals(session.run(ref.port()), ours, "nats-server 2.9.10 (expected) and this server (actual)");
        }
        return ours;
    }
}
