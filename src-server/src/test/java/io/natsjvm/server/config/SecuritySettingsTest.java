package io.natsjvm.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings that protect traffic or identity stop start-up until TLS exists (never a plain-text
 * downgrade); variables defined inside blocks and the {@code ws} alias are not unknown options.
 */
class SecuritySettingsTest {
    @Test
    void tlsSettingsStopStartUpWithAClearError() {
        for (String conf : new String[] {"cluster { port: 6222, tls { cert_file: a } }",
                "cluster { port: 6222, tls { cert_file: a, key_file: b, ca_file: c, verify_and_map: true } }",
                "leafnodes { port: 7422, tls { cert_file: a, key_file: b, ca_file: c, verify_and_map: true } }",
                "leafnodes { remotes: [ { url: \"nats://h:7422\", tls { cert_file: a } } ] }",
                "websocket { port: 8080, tls { cert_file: a } }", "gateway { port: 7222, tls { cert_file: a } }",
                "ws { port: 8080, verify_and_map: true }", "ocsp: true"}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> OptionsLoader.load(ConfigParser.parse(conf)), conf);
            assertTrue(e.getMessage().contains("requires TLS") || e.getMessage().contains("not supported yet")
                    || e.getMessage().contains("missing 'cert_file' or 'key_file'")
                    || e.getMessage().contains("'cert_file' and 'key_file' go together")
                    // as the reference: verify_and_map is not a websocket key ("<config>:1:17: unknown field")
                    || e.getMessage().equals("<config>:1:17: unknown field \"verify_and_map\""), e.getMessage());
        }
    }

    /** The client listener's TLS is supported; what it cannot do refuses start-up, never a downgrade. */
    @Test
    void clientTlsSettingsAreCheckedAndUnsupportedOnesStopStartUp() {
        ConfigException noCa = assertThrows(ConfigException.class,
                () -> OptionsLoader.load(ConfigParser.parse("tls { cert_file: a, key_file: b, verify: true }")));
        assertEquals("<config>:1:0: tls: 'verify' requires 'ca_file'", noCa.getMessage());
        ConfigException mapping = assertThrows(ConfigException.class, () -> OptionsLoader.load(
                ConfigParser.parse("tls { cert_file: a, key_file: b, verify_and_map: true }")));
        assertEquals("<config>:1:0: tls: 'verify' requires 'ca_file'", mapping.getMessage(), "verify_and_map verifies");
        ConfigException noKey = assertThrows(ConfigException.class,
                () -> OptionsLoader.load(ConfigParser.parse("tls { cert_file: a }")));
        assertTrue(noKey.getMessage().contains("missing 'cert_file' or 'key_file'"), noKey.getMessage());
    }

    /** As nats-server 2.9.10: deprecated there, still in force unless the cluster block has its own. */
    @Test
    void permissionsInsideTheClusterAuthorizationApplyUnlessTheClusterHasItsOwn() throws Exception {
        ServerOptions deprecated = OptionsLoader.load(ConfigParser.parse(
                "cluster { port: 6222, authorization { user: a, password: b, permissions { import: \"x.>\" } } }"));
        assertEquals(List.of("x.>"), deprecated.cluster.permissions.publish().allow());
        assertTrue(deprecated.warnings.stream().anyMatch(w -> w.endsWith("invalid use of field \"authorization\":"
                + " setting \"permissions\" within cluster authorization block is deprecated")), deprecated.warnings.toString());
        ServerOptions own = OptionsLoader.load(ConfigParser.parse("cluster { port: 6222, authorization { user: a,"
                + " password: b, permissions { import: \"x.>\" } }, permissions { import: \"y.>\" } }"));
        assertEquals(List.of("y.>"), own.cluster.permissions.publish().allow());
    }

    @Test
    void variablesInsideBlocksAndTheWsAliasAreNotUnknown() throws Exception {
        Path f = Files.createTempFile("vars", ".conf");
        Files.writeString(f, "authorization {\n  PASS = \"s3cret\"\n  user: a\n  password: $PASS\n}\n"
                + "ws { port: 8080, no_tls: true }\n");
        ServerOptions o = OptionsLoader.loadFile(f);
        assertEquals("s3cret", o.authPassword);
        assertTrue(o.warnings.stream().noneMatch(w -> w.contains("unknown")), o.warnings.toString());
    }
}
