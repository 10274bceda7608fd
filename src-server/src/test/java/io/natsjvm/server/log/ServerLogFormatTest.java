package io.natsjvm.server.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerLogFormatTest {
    private static void same(String fmt, Object... args) {
        assertEquals(String.format(fmt, args), ServerLog.format(fmt, args), fmt);
    }

    @Test
    void plainConversionsMatchStringFormat() {
        same("Updated account %s (%s): %s; %d of %d connections closed", "AB", "APP", "conn 3 -> 1", 2, 3L);
        same("%s", (Object) null);
        same("100%% of %d", 7);
        same("%s%s", "a", "b");
        same("%d", -5L);
    }

    @Test
    void anythingElseFallsBackToStringFormat() {
        same("%5d|%-4s|", 3, "x");
        same("%.2f ms", 1.234);
        same("%x", 255);
        same("%d", (short) 4);
        same("%s and %s", "only one", "two");
    }
}
