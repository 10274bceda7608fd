package io.natsjvm.server.protocol;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Floats in JSON as Go's encoding/json writes them (VARZ cpu, sublist stats, ...). */
class GoFloatSerializerTest {
    @Test
    void wholeNumbersHaveNoFractionAndSmallOnesNoExponent() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zero", 0.0);
        m.put("whole", 12.0);
        m.put("half", 0.5);
        m.put("third", 1.0 / 3);
        m.put("small", 0.0001);
        m.put("negative", -2.0);
        assertEquals("{\"zero\":0,\"whole\":12,\"half\":0.5,\"third\":0.3333333333333333,\"small\":0.0001,"
                + "\"negative\":-2}", Json.MAPPER.writeValueAsString(m));
    }
}
