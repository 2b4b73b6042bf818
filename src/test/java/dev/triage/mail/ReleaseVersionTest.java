package dev.triage.mail;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ReleaseVersionTest {

    private static ReleaseVersion v(String text) {
        return ReleaseVersion.parse(text).orElseThrow(() -> new AssertionError("not parsed: " + text));
    }

    private static void assertParts(String text, Integer... parts) {
        ReleaseVersion r = v(text);
        assertEquals(List.of(parts), r.parts(), text);
        assertEquals(text, r.text());
    }

    @Test
    void parsesReleaseNumbers() {
        assertParts("14.0.0", 14, 0, 0);
        assertParts("v13.3.1", 13, 3, 1);
        assertParts("2.0", 2, 0);
        assertParts("2024.06.5", 2024, 6, 5);
        assertParts("14.0.0-rc1", 14, 0, 0);
        assertParts("2024.06", 2024, 6);
    }

    @Test
    void textIsStripped() {
        assertEquals("14.0.0", v(" 14.0.0\n").text());
    }

    @Test
    void tagsThatNameNoRelease() {
        for (String s : new String[] {"latest", "edge", "master", "", "  ",
                "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "stable", "v"}) {
            assertTrue(ReleaseVersion.parse(s).isEmpty(), "'" + s + "' is not a version");
        }
        assertTrue(ReleaseVersion.parse(null).isEmpty());
    }

    @Test
    void missingPartsCountAsZero() {
        assertTrue(v("2.0").compareTo(v("2024.06")) < 0);
        assertEquals(0, v("2024.06").compareTo(v("2024.06.0")));
        assertEquals(0, v("2024.06.0").compareTo(v("2024.06")));
        assertTrue(v("2024.06.0").compareTo(v("2024.06.10")) < 0);
        assertTrue(v("2024.06.10").compareTo(v("2024.06")) > 0);
    }

    @Test
    void comparesNumbersNotText() {
        assertTrue(v("13.3.11").compareTo(v("14.0.0")) < 0);
        assertTrue(v("9.0").compareTo(v("10.0")) < 0);
        assertTrue(v("10.0").compareTo(v("9.0")) > 0);
        assertTrue(v("2024.06.9").compareTo(v("2024.06.10")) < 0);
        assertTrue(v("13.3.2").compareTo(v("13.3.11")) < 0);
        assertEquals(0, v("v14.0.0").compareTo(v("14.0.0")));
    }

    @Test
    void sortsInReleaseOrder() {
        List<ReleaseVersion> list = new ArrayList<>(List.of(v("2024.06.10"), v("10.0"), v("2.0"), v("9.0"), v("2024.06")));
        Collections.sort(list);
        assertEquals(List.of("2.0", "9.0", "10.0", "2024.06", "2024.06.10"), list.stream().map(ReleaseVersion::text).toList());
    }

    @Test
    void atLeast() {
        assertTrue(v("2024.06").atLeast(v("2024.06.0")), "equal is at least");
        assertTrue(v("2024.06.5").atLeast(v("2024.06.0")));
        assertTrue(v("14.0.0").atLeast(v("13.3.11")));
        assertFalse(v("2.0").atLeast(v("2024.06.0")));
        assertFalse(v("9.0").atLeast(v("10.0")));
        assertFalse(v("13.3.11").atLeast(v("14.0.0")));
    }
}
