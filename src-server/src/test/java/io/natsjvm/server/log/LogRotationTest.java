package io.natsjvm.server.log;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code logfile_size_limit}: the log file is moved aside once past the limit, as nats-server rotates it. */
class LogRotationTest {

    @Test
    void aFullLogFileIsRotatedAndTheNewOneSaysWhereTheOldWent() throws Exception {
        Path dir = Files.createTempDirectory("log-rotation");
        Path log = dir.resolve("server.log");
        try {
            ServerLog.configure(false, false, true, log.toString(), 1000);
            for (int i = 0; i < 30; i++) {
                ServerLog.get().info("line %d of a log that fills up quickly", i);
            }
        } finally {
            ServerLog.configure(false, false, true, null);
        }
        List<Path> backups;
        try (Stream<Path> files = Files.list(dir)) {
            backups = files.filter(p -> p.getFileName().toString()
                    .matches("server\\.log\\.\\d{4}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{2}\\.\\d{9}")).toList();
        }
        assertTrue(backups.size() >= 2, "rotated more than once: " + backups);
        for (Path b : backups) {
            assertTrue(Files.size(b) <= 1100, b + " stopped near the limit: " + Files.size(b));
        }
        List<String> current = Files.readAllLines(log);
        assertTrue(current.get(0).contains("[INF] Rotated log, backup saved as \"" + dir.resolve("server.log.")),
                current.get(0));
        assertEquals(30, backups.stream().mapToLong(b -> {
            try {
                return Files.readAllLines(b).stream().filter(l -> l.contains("of a log that fills up")).count();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).sum() + current.stream().filter(l -> l.contains("of a log that fills up")).count(), "no line lost");
    }
}
