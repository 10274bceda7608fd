package io.natsjvm.server.monitor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** An ordered JSON object under construction, with Go's omitempty as a method. */
final class JsonMap extends LinkedHashMap<String, Object> {
    JsonMap with(String k, Object v) {
        super.put(k, v);
        return this;
    }

    /** Adds the value unless Go's omitempty would drop it. */
    JsonMap omitEmpty(String k, Object v) {
        boolean empty = v == null
                || (v instanceof String s && s.isEmpty())
                || (v instanceof Number n && n.doubleValue() == 0)
                || (v instanceof Boolean b && !b)
                || (v instanceof Collection<?> c && c.isEmpty())
                || (v instanceof Map<?, ?> m && m.isEmpty());
        if (!empty) {
            super.put(k, v);
        }
        return this;
    }
}
