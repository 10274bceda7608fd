package io.natsjvm.server.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Compares our JSON with a capture from nats-server 2.9.10 (test resources "reference/"): the
 * same field names in the same order with the same JSON types, recursively (array elements are
 * compared with the reference's first element). Values are the test's business.
 */
public final class ReferenceShape {
    public static final ObjectMapper JSON = new ObjectMapper();
    /** Objects whose keys are values (e.g. request counts per path). */
    private static final List<String> MAPS = List.of(".http_req_stats");

    private ReferenceShape() {
    }

    public static JsonNode reference(String file) throws Exception {
        try (InputStream in = ReferenceShape.class.getResourceAsStream("/reference/" + file)) {
            assertNotNull(in, "missing reference capture " + file);
            return JSON.readTree(in);
        }
    }

    /** Asserts the shape and returns the parsed actual JSON. */
    public static JsonNode assertSameShape(String file, String actualJson) throws Exception {
        JsonNode actual = JSON.readTree(actualJson);
        List<String> problems = new ArrayList<>();
        compare(reference(file), actual, "$", problems);
        assertEquals(List.of(), problems, file + " vs " + actualJson);
        return actual;
    }

    private static void compare(JsonNode ref, JsonNode act, String path, List<String> problems) {
        if (ref.getNodeType() != act.getNodeType()) {
            problems.add(path + ": type " + act.getNodeType() + ", reference has " + ref.getNodeType());
            return;
        }
        if (ref.isObject() && MAPS.stream().anyMatch(path::endsWith)) {
            return; // keys are data, not fields
        }
        if (ref.isObject()) {
            List<String> refKeys = names(ref.fieldNames());
            List<String> actKeys = names(act.fieldNames());
            if (!refKeys.equals(actKeys)) {
                problems.add(path + ": fields " + actKeys + ", reference has " + refKeys);
                return;
            }
            for (String k : refKeys) {
                compare(ref.get(k), act.get(k), path + "." + k, problems);
            }
        } else if (ref.isArray() && ref.size() > 0 && act.size() > 0) {
            for (int i = 0; i < act.size(); i++) {
                compare(ref.get(0), act.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static List<String> names(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
