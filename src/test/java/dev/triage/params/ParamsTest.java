package dev.triage.params;

import dev.triage.probe.ProbeParams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** One grammar for a test's and an action's parameters. */
class ParamsTest {
    private static final Map<String, Object> VALUES = Map.of(
            "yaml", Arrays.asList("a b", "", "c", " "),
            "words", "  one two\tthree ",
            "blank", "  ",
            "port", " 465 ",
            "big", "99999999999",
            "limit", "1.5s",
            "on", "true");

    @Test
    void listsAreTheYamlItemsOrTheWordsOfOneString() {
        for (Params p : List.of(new Params(VALUES), new ProbeParams(VALUES))) {
            assertEquals(List.of("a b", "c"), p.list("yaml"), "items as written, empty ones dropped");
            assertEquals(List.of("one", "two", "three"), p.list("words"));
            assertEquals(List.of(), p.list("blank"));
            assertEquals(List.of(), p.list("missing"));
            assertEquals("a b c", p.get("yaml"));
        }
    }

    @Test
    void notSetIsEmptyOrBlank() {
        Params p = new Params(VALUES);
        assertFalse(p.has("blank"));
        assertEquals("x", p.get("blank", "x"));
        assertEquals("", p.get("missing"));
        assertFalse(p.flag("missing"));
        assertTrue(p.flag("on"));
    }

    @Test
    void numbersAreReadOrRefusedWithTheNameAndTheValue() {
        Params p = new Params(VALUES);
        assertEquals(465, p.getInt("port", 0));
        assertEquals(7, p.getInt("missing", 7));
        assertEquals(99999999999L, p.getLong("big"));
        assertEquals("big must be a number, not '99999999999'",
                assertThrows(IllegalArgumentException.class, () -> p.getInt("big", 0)).getMessage());
        assertEquals("words must be a number, not 'one two\tthree'",
                assertThrows(IllegalArgumentException.class, () -> p.getInt("words", 0)).getMessage());
        assertEquals("missing must be a number, not ''",
                assertThrows(IllegalArgumentException.class, () -> p.getLong("missing")).getMessage());
        assertEquals("port must be true or false, not '465'",
                assertThrows(IllegalArgumentException.class, () -> p.flag("port")).getMessage());
        assertEquals(Duration.ofMillis(1500), p.duration("limit", Duration.ZERO));
    }

    @Test
    void aSettingIsSplitAtItsFirstEqualsSign() {
        assertEquals(java.util.Optional.of(new Params.Assignment("a.b", "x=y")), Params.Assignment.of("a.b=x=y"));
        assertEquals(java.util.Optional.of(new Params.Assignment("K", "")), Params.Assignment.of("K="));
        assertTrue(Params.Assignment.of("=v").isEmpty());
        assertTrue(Params.Assignment.of("novalue").isEmpty());
    }
}
