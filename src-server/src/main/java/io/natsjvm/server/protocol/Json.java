package io.natsjvm.server.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * The shared ObjectMapper. Type coercion is switched off so that JSON the reference (Go's
 * encoding/json) rejects, such as {@code "verbose":"yes"} or {@code "user":1}, is rejected here too;
 * strings are escaped as Go escapes them ({@link GoJsonEscapes}) and floats written as Go writes
 * them ({@link GoFloatSerializer}).
 */
public final class Json {
    public static final ObjectMapper MAPPER = create();

    private Json() {
    }

    private static ObjectMapper create() {
        ObjectMapper m = new ObjectMapper();
        m.getFactory().setCharacterEscapes(GoJsonEscapes.INSTANCE);
        m.registerModule(new SimpleModule("go-floats")
                .addSerializer(Double.class, GoFloatSerializer.INSTANCE)
                .addSerializer(double.class, GoFloatSerializer.INSTANCE));
        m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
        m.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        // Go's json.Unmarshal refuses anything after the value ("invalid character 'x' after top-level value").
        m.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }
}
