package io.natsjvm.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsjvm.server.util.ReferenceShape;

final class ReferenceShapeAccess {
    private ReferenceShapeAccess() {
    }

    static JsonNode parse(String json) throws Exception {
        return ReferenceShape.JSON.readTree(json);
    }
}
