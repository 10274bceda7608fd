package io.natsjvm.resolver.jwt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The token-by-token tree is the one ObjectMapper.readTree builds, node classes included. */
class JsonTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode read(String json) throws Exception {
        try (JsonParser p = JsonTree.parser(json)) {
            return JsonTree.value(p, p.nextToken());
        }
    }

    @Test
    void buildsTheTreeReadTreeBuilds() throws Exception {
        for (String json : new String[] {
                "{\"a\":1,\"b\":2147483648,\"c\":9223372036854775808,\"d\":-1.5e3,\"e\":1e400,\"f\":0.1}",
                "{\"nats\":{\"limits\":{\"subs\":-1,\"wildcards\":true},\"tags\":[\"x\",null,false,[{}]]}}",
                "{\"k\":1,\"k\":\"last wins\",\"u\":\"\\u00e9\\ud83d\\ude00\"}",
                "[1,[2,[3]],{\"x\":{}}]", "\"s\"", "12", "true", "null"}) {
            JsonNode ours = read(json);
            JsonNode theirs = MAPPER.readTree(json);
            assertEquals(theirs, ours, json);
            assertEquals(theirs.toString(), ours.toString(), json);
        }
    }

    @Test
    void syntaxErrorsAreTheParsers() {
        for (String json : new String[] {"{\"a\":}", "{\"a\":1,}", "[1,]", "{\"a\":01}", "{'a':1}", "{\"a\":NaN}"}) {
            assertThrows(Exception.class, () -> read(json), json);
        }
    }
}
