package io.natsjvm.server.delivery;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Subject mapping transforms and weighted mappings, without sockets (the wire test compares with nats-server). */
class SubjectTransformTest {

    private static String apply(String src, String dest, String subject) {
        return SubjectTransform.of(src, dest).apply(subject);
    }

    @Test
    void placeholdersAndFunctionsRewriteTheSubject() {
        assertEquals("bar", apply("foo", "bar", "foo"));
        assertEquals("out.x.y", apply("in.*.*", "out.$1.$2", "in.x.y"));
        assertEquals("out.y.x", apply("in.*.*", "out.{{wildcard(2)}}.{{ Wildcard( 1 ) }}", "in.x.y"));
        assertEquals("b.c.d", apply("a.>", "b.>", "a.c.d"));
        assertEquals("b.x.c.d", apply("a.*.>", "b.$1.>", "a.x.c.d"));
        assertEquals("s.aa.bb", apply("s.*", "s.{{split(1,-)}}", "s.aa--bb-"));
        assertEquals("abc.def.g", apply("*", "{{sliceFromLeft(1,3)}}", "abcdefg"));
        assertEquals("a.bcd.efg", apply("*", "{{sliceFromRight(1,3)}}", "abcdefg"));
        assertEquals("abcd.efg", apply("*", "{{splitFromLeft(1,4)}}", "abcdefg"));
        assertEquals("abcd.efg", apply("*", "{{splitFromRight(1,3)}}", "abcdefg"));
        assertEquals("short", apply("*", "{{splitFromLeft(1,9)}}", "short"));
        // FNV-1a of "key1" modulo 10, as the reference partitions
        String p = apply("p.*", "p.{{partition(10,1)}}", "p.key1");
        assertEquals(p, apply("p.*", "p.{{partition(10,1)}}", "p.key1"), "stable");
        assertTrue(Integer.parseInt(p.substring(2)) < 10, p);
    }

    @Test
    void badMappingsAreRefusedWithTheReferencesReasons() {
        assertEquals("invalid mapping destination: not using all of the token wildcard(s) in bar",
                assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("foo.*", "bar")).getMessage());
        assertEquals("invalid mapping destination: wildcard index out of range in $2: [2]",
                assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("foo.*", "bar.$2")).getMessage());
        assertEquals("invalid mapping destination: unknown function in {{nope(1)}}",
                assertThrows(IllegalArgumentException.class,
                        () -> SubjectTransform.of("foo.*", "bar.{{nope(1)}}")).getMessage());
        assertEquals("invalid mapping destination: too many arguments passed to the function in {{wildcard(1,2)}}",
                assertThrows(IllegalArgumentException.class,
                        () -> SubjectTransform.of("foo.*", "{{wildcard(1,2)}}")).getMessage());
        assertEquals("invalid subject",
                assertThrows(IllegalArgumentException.class, () -> SubjectTransform.of("foo.>", "bar")).getMessage());
        assertEquals("total weight needs to be <= 100", assertThrows(IllegalArgumentException.class,
                () -> SubjectMappings.builder().add("a", List.of(new SubjectMappings.Destination("b", 60, null),
                        new SubjectMappings.Destination("c", 50, null)))).getMessage());
    }

    @Test
    void weightsSplitTrafficAndAListedSourceDropsTheRest() {
        SubjectMappings m = SubjectMappings.builder()
                .add("split", List.of(new SubjectMappings.Destination("left", 50, null),
                        new SubjectMappings.Destination("right", 50, null)))
                .add("partly", List.of(new SubjectMappings.Destination("moved", 30, null)))
                .add("lossy", List.of(new SubjectMappings.Destination("kept", 40, null),
                        new SubjectMappings.Destination("lossy", 0, null)))
                .add("scoped", List.of(new SubjectMappings.Destination("here", 100, "east")))
                .build();
        int left = 0;
        int moved = 0;
        int dropped = 0;
        for (int i = 0; i < 2000; i++) {
            left += m.map("split", null).equals("left") ? 1 : 0;
            String p = m.map("partly", null);
            moved += p.equals("moved") ? 1 : 0;
            assertTrue(p.equals("moved") || p.equals("partly"), p);
            String l = m.map("lossy", null);
            dropped += l == null ? 1 : 0;
        }
        assertTrue(left > 800 && left < 1200, "about half: " + left);
        assertTrue(moved > 450 && moved < 750, "about 30%: " + moved);
        assertTrue(dropped > 1050 && dropped < 1350, "about 60% dropped: " + dropped);
        assertEquals("here", m.map("scoped", "east"));
        assertEquals("scoped", m.map("scoped", "west"), "another cluster keeps the subject");
        String untouched = "other";
        assertSame(untouched, m.map(untouched, null));
        assertNull(SubjectMappings.builder().build(), "no mappings");
    }
}
