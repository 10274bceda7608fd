package io.natsjvm.server.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * A float64 as Go's encoding/json writes it: the shortest text that reads back the same, with no
 * ".0" on whole numbers ({@code 0}, {@code 12}, {@code 0.5}) and no exponent between 1e-6 and
 * 1e21 ({@code 0.0001}, where Java would write {@code 1.0E-4}). Go refuses NaN and infinities;
 * they are written as 0 here rather than failing a whole monitoring answer.
 */
final class GoFloatSerializer extends StdSerializer<Double> {
    static final GoFloatSerializer INSTANCE = new GoFloatSerializer();

    private GoFloatSerializer() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        double d = value;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            gen.writeNumber(0);
        } else if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            gen.writeNumber((long) d);
        } else if (Math.abs(d) >= 1e-6 && Math.abs(d) < 1e21) {
            gen.writeNumber(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        } else {
            gen.writeNumber(d);
        }
    }
}
