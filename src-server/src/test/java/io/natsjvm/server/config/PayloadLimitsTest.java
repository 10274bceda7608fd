package io.natsjvm.server.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** max_payload and max_pending as nats-server 2.9.10 reads them (StartupParityTest compares the refusals). */
class PayloadLimitsTest {
    private static ServerOptions load(String conf) throws ConfigException {
        return OptionsLoader.load(ConfigParser.parse(conf));
    }

    @Test
    void zeroMeansTheDefault() throws Exception {
        assertEquals(1024 * 1024, load("max_payload: 0").maxPayload);
        assertEquals(64L * 1024 * 1024, load("max_pending: 0").maxPending);
    }

    @Test
    void payloadsAboveSixtyFourMegabytesNeedALargerMaxPending() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> load("max_payload: 70MB"));
        assertEquals("max_payload (73400320) cannot be higher than max_pending (67108864)", e.getMessage());
        assertEquals(70 * 1024 * 1024, load("max_payload: 70MB\nmax_pending: 100MB").maxPayload);
        assertEquals("<config>:1:0: max_payload value is too big",
                assertThrows(ConfigException.class, () -> load("max_payload: 3GB\nmax_pending: 4GB")).getMessage());
    }
}
