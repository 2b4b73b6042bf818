package dev.triage.app;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TRIAGE_TIME_SCALE: a whole number from 1 to 20, else a notice and the scenarios' own limits. */
class TimeScaleTest {

    private static int scale(String value, List<String> notices) {
        Map<String, String> env = value == null ? Map.of() : Map.of("TRIAGE_TIME_SCALE", value);
        return Triage.timeScale(env, notices::add);
    }

    @Test
    void unsetOrBlankIsOne() {
        List<String> notices = new ArrayList<>();
        assertEquals(1, scale(null, notices));
        assertEquals(1, scale(" ", notices));
        assertEquals(List.of(), notices);
    }

    @Test
    void aWholeNumberFromOneToTwentyIsTaken() {
        List<String> notices = new ArrayList<>();
        assertEquals(5, scale("5", notices));
        assertEquals(20, scale(" 20 ", notices));
        assertEquals(1, scale("1", notices));
        assertEquals(List.of(), notices);
    }

    @Test
    void anythingElseIsNamedAndIgnored() {
        for (String bad : List.of("0", "21", "99", "-3", "2.5", "fast", "1e3")) {
            List<String> notices = new ArrayList<>();
            assertEquals(1, scale(bad, notices), bad);
            assertEquals(1, notices.size(), bad);
            assertTrue(notices.get(0).startsWith("TRIAGE_TIME_SCALE must be a whole number from 1 to 20"), notices.get(0));
        }
    }
}
