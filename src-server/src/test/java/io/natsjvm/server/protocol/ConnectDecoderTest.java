package io.natsjvm.server.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONNECT JSON read as Go's encoding/json reads it (the wire verdicts: ProtocolDifferentialFuzzTest). */
class ConnectDecoderTest {

    @Test
    void readsEveryFieldAJnatsOrNatsGoClientSends() throws IOException {
        ConnectOptions c = ConnectDecoder.decode("{\"verbose\":false,\"pedantic\":true,\"tls_required\":false,"
                + "\"auth_token\":\"t\",\"user\":\"u\",\"pass\":\"p\",\"name\":\"n\",\"lang\":\"java\","
                + "\"version\":\"2.17\",\"protocol\":1,\"echo\":false,\"headers\":true,\"no_responders\":true,"
                + "\"nkey\":\"UK\",\"sig\":\"s\",\"jwt\":\"j\",\"account\":\"A\",\"new_account\":false}");
        assertEquals(new ConnectOptions(false, true, false, "t", "u", "p", "n", "java", "2.17", 1, false, true, true,
                "UK", "s", "j", "A", false), c);
    }

    @Test
    void keysMatchFieldsAsGoFoldsCase() throws IOException {
        ConnectOptions c = ConnectDecoder.decode("{\"USER\":\"u\",\"Pass\":\"p\",\"\u017fig\":\"s\",\"n\u212aey\":\"k\"}");
        assertEquals("u", c.user());
        assertEquals("p", c.pass());
        assertEquals("s", c.sig(), "U+017F folds to s");
        assertEquals("k", c.nkey(), "U+212A folds to k");
        // a dotless i upper-cases to I in Java, but Go does not fold it to i
        assertNull(ConnectDecoder.decode("{\"pedant\u0131c\":true}").pedantic());
        assertFalse(ConnectDecoder.foldEquals("user", "use"));
    }

    @Test
    void nullChangesNothingAndTheLastKeyWins() throws IOException {
        ConnectOptions c = ConnectDecoder.decode("{\"user\":\"a\",\"user\":null,\"verbose\":true,\"VERBOSE\":false,"
                + "\"name\":null}");
        assertEquals("a", c.user());
        assertEquals(false, c.verbose());
        assertNull(c.name());
        assertNull(ConnectDecoder.decode("null"), "a JSON null CONNECT leaves the options as they were");
    }

    @Test
    void unknownKeysAreSkippedWhateverTheirValue() throws IOException {
        ConnectOptions c = ConnectDecoder.decode("{\"x\":{\"user\":\"no\",\"y\":[1,{\"z\":null}]},\"user\":\"yes\","
                + "\"w\":[[]],\"v\":-1.5e3}");
        assertEquals("yes", c.user());
    }

    @Test
    void goIntRangeIsAcceptedForTheProtocol() throws IOException {
        assertEquals(Integer.MAX_VALUE, ConnectDecoder.decode("{\"protocol\":3000000000}").protocol());
        assertEquals(Integer.MIN_VALUE, ConnectDecoder.decode("{\"protocol\":-9223372036854775808}").protocol());
        assertEquals(0, ConnectDecoder.decode("{\"protocol\":-0}").protocol());
    }

    @Test
    void whatGoRefusesFailsTheWholeConnect() {
        for (String bad : new String[] {"", "[]", "1", "\"x\"", "true", "{", "{\"user\":\"a\",}", "{} x", "{}{}",
                "{\"verbose\":\"true\"}", "{\"verbose\":1}", "{\"tls_required\":[]}", "{\"echo\":{\"a\":1}}",
                "{\"user\":1}", "{\"name\":[\"x\"]}", "{\"user\":true}", "{\"protocol\":1.0}", "{\"protocol\":1e2}",
                "{\"protocol\":\"1\"}", "{\"protocol\":true}", "{\"protocol\":9223372036854775808}",
                "{\"x\":01}", "{\"name\":\"\\x\"}"}) {
            assertThrows(IOException.class, () -> ConnectDecoder.decode(bad), bad);
        }
    }

    @Test
    void exactNamesNeverFallBackToFolding() {
        assertEquals("user", ConnectDecoder.field("user"));
        assertEquals("no_responders", ConnectDecoder.field("NO_RESPONDERS"));
        assertEquals("", ConnectDecoder.field("users"));
        assertTrue(ConnectDecoder.foldEquals("jwt", "JWT"));
    }
}
