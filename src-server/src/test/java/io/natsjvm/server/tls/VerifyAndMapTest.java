package io.natsjvm.server.tls;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsjvm.server.util.Await;
import io.natsjvm.server.util.ReferenceServer;
import io.natsjvm.server.util.TestCerts;
import io.natsjvm.server.util.TestServer;
import io.natsjvm.server.auth.CertificateNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code verify_and_map}: each certificate logs in as the user it names (e-mail SAN, DNS SAN,
 * subject as written, subject in another order), with that user's permissions; the same
 * certificates against nats-server 2.9.10 give the same users.
 */
class VerifyAndMapTest {
    static TestCerts certs;
    static String config;
    /** certificate → the user (and so the only subject it may publish to) it must map to. */
    static Map<TestCerts.Issued, String> expected;
    static TestCerts.Issued unknown;

    @BeforeAll
    static void certificates() throws Exception {
        certs = new TestCerts("Map CA");
        TestCerts.Issued server = certs.server();
        TestCerts.Issued email = certs.client("CN=alice", "alice@example.com", null, "email");
        TestCerts.Issued dns = certs.client("CN=bob", null, "bob.example.com", "dns");
        TestCerts.Issued subject = certs.client("CN=carol,OU=eng,O=Acme", null, null, "subject");
        TestCerts.Issued reordered = certs.client("CN=dave,OU=ops,O=Acme", null, null, "reordered");
        unknown = certs.client("CN=mallory", "mallory@example.com", "evil.example.com", "unknown");
        expected = Map.of(email, "alice", dns, "bob", subject, "carol", reordered, "dave");
        config = "tls {\n  cert_file: \"" + server.certFile() + "\"\n  key_file: \"" + server.keyFile() + "\"\n"
                + "  ca_file: \"" + certs.ca.certFile() + "\"\n  verify_and_map: true\n}\n"
                + "authorization { users: [\n"
                + user("alice@example.com", "alice")
                + user("bob.example.com", "bob")
                + user(CertificateNames.rdnSequence(CertificateNames.subject(subject.cert())), "carol")
                + user("O=Acme,OU=ops,CN=dave", "dave")
                + "]}\n";
    }

    private static String user(String name, String subject) {
        return "  {user: \"" + name + "\", permissions: {publish: [\"" + subject + "\"], subscribe: [\"_INBOX.>\"]}}\n";
    }

    private static Connection connect(int port, TestCerts.Issued cert, List<String> errors) throws Exception {
        // a refused login ends at the connection timeout (jnats does not fail on -ERR alone)
        return Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + port)
                .sslContext(certs.clientContext(cert)).noReconnect().connectionTimeout(Duration.ofSeconds(2))
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        errors.add(error);
                    }
                }).build());
    }

    /** Which of the users' subjects this certificate may publish to (the one it is mapped to). */
    private static List<String> allowed(int port, TestCerts.Issued cert) throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        List<String> subjects = List.of("alice", "bob", "carol", "dave");
        try (Connection c = connect(port, cert, errors)) {
            for (String s : subjects) {
                c.publish(s, new byte[0]);
            }
            c.flush(Duration.ofSeconds(2));
            // the listener is called on its own thread: wait for the three refusals
            Await.until(() -> errors.size() >= subjects.size() - 1, "three permission violations: " + errors);
        }
        List<String> ok = new ArrayList<>();
        for (String s : subjects) {
            if (errors.stream().noneMatch(e -> e.contains("\"" + s + "\""))) {
                ok.add(s);
            }
        }
        return ok;
    }

    private static void assertMapping(IntFunction<String> label, int port) throws Exception {
        for (Map.Entry<TestCerts.Issued, String> e : expected.entrySet()) {
            assertEquals(List.of(e.getValue()), allowed(port, e.getKey()),
                    label.apply(port) + ": " + e.getKey().cert().getSubjectX500Principal());
        }
        assertThrows(Exception.class, () -> connect(port, unknown, new ArrayList<>()).close(),
                label.apply(port) + ": a certificate no user matches is refused");
    }

    @Test
    void eachCertificateLogsInAsTheUserItNames() throws Exception {
        try (TestServer s = TestServer.fromConfig(config)) {
            assertMapping(p -> "nats-jvm", s.port());
        }
    }

    @Test
    void natsServerMapsTheSameCertificatesToTheSameUsers() throws Exception {
        try (ReferenceServer ref = ReferenceServer.start(config)) {
            assertMapping(p -> "nats-server 2.9.10", ref.port());
        }
    }

    /** A certificate that maps to a user of an account logs in to that account. */
    @Test
    void theMappedUsersAccountApplies() throws Exception {
        TestCerts.Issued server = certs.server();
        TestCerts.Issued appCert = certs.client("CN=app-service,O=Acme", null, null, "account");
        String conf = "tls {\n  cert_file: \"" + server.certFile() + "\"\n  key_file: \"" + server.keyFile() + "\"\n"
                + "  ca_file: \"" + certs.ca.certFile() + "\"\n  verify_and_map: true\n}\n"
                + "accounts {\n  APP { users: [ {user: \"CN=app-service,O=Acme\"}, {user: \"CN=watcher\"} ] }\n"
                + "  OTHER { users: [ {user: other, password: o} ] }\n}\n";
        try (TestServer s = TestServer.fromConfig(conf);
                Connection app = connect(s.port(), appCert, new ArrayList<>());
                Connection watcher = Nats.connect(new Options.Builder().server("tls://127.0.0.1:" + s.port())
                        .sslContext(certs.clientContext(certs.client("watcher")))
                        .noReconnect().build())) {
            io.nats.client.Subscription sub = watcher.subscribe("orders");
            watcher.flush(Duration.ofSeconds(2));
            app.publish("orders", "in APP".getBytes());
            app.flush(Duration.ofSeconds(2));
            io.nats.client.Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertEquals("in APP", new String(m.getData()));
            String connz = s.server().monitor().connz(new io.natsjvm.server.monitor.Options.Connz(null, true, false,
                    false, 0, 0, 0, null, 0, null, null, null)).toString();
            assertTrue(connz.contains("authorizedUser=CN=app-service,O=Acme") && connz.contains("account=APP"), connz);
        }
    }
}
