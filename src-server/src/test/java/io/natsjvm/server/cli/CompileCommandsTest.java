package io.natsjvm.server.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * scripts/compile-commands.txt names methods by string, and the JVM ignores a command for a
 * method that does not exist without a word (the file is read with {@code quiet}): a rename, or a
 * Netty upgrade that moves its allocator, would silently bring the slow warm-up back.
 */
class CompileCommandsTest {
    private static final Path FILE = Path.of("..", "scripts", "compile-commands.txt");

    @Test
    void everyHintNamesAMethodThatExists() throws Exception {
        List<String> commands = commands();
        assertFalse(commands.isEmpty(), "no commands in " + FILE);
        assertEquals("quiet", commands.get(0), "quiet first, or the JVM prints each command on stdout");
        for (String c : commands.subList(1, commands.size())) {
            String[] parts = c.split("\\s+");
            assertEquals(2, parts.length, "command and pattern: " + c);
            assertEquals("dontinline", parts[0], c);
            String[] target = parts[1].split("::");
            Class<?> holder = Class.forName(target[0], false, getClass().getClassLoader());
            assertTrue(declares(holder, target[1]), holder.getName() + " declares no method " + target[1]);
        }
    }

    private static boolean declares(Class<?> holder, String name) {
        return Arrays.stream(holder.getDeclaredMethods()).map(Method::getName).anyMatch(name::equals);
    }

    private static List<String> commands() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(FILE)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }
}
