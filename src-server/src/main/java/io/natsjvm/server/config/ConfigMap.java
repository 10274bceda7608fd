package io.natsjvm.server.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed config block that remembers where each key was written, so errors about a key name
 * its place as the reference does: {@code file:line:column} (line from 1, column from 0).
 */
public final class ConfigMap extends LinkedHashMap<String, Object> {
    private final Map<String, String> positions = new HashMap<>();

    void put(String key, Object value, String position) {
        put(key, value);
        positions.put(key, position);
    }

    void putAllFrom(ConfigMap other) {
        putAll(other);
        positions.putAll(other.positions);
    }

    /** {@code file:line:column} of the key, or null when it was not parsed from text. */
    public String position(String key) {
        return positions.get(key);
    }

    /** The key's position followed by ": ", or "" (a map not parsed from a file), as a message prefix. */
    static String at(Map<String, Object> map, String key) {
        String p = map instanceof ConfigMap c ? c.position(key) : null;
        return p == null ? "" : p + ": ";
    }
}
