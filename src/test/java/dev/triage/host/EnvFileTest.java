package dev.triage.host;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** One reading of an env file for the probe that reads it and the fixes that edit it. */
class EnvFileTest {
    private static final String FILE = "# Mailu\r\nexport PROXY_PROTOCOL=all\r\n; old\r\nREAL_IP_FROM = \"10.0.0.0/8\"\r\nDEBUG\r\n";

    @Test
    void readsExportSpacesQuotesAndBareKeys() {
        assertEquals(new EnvFile.Found("all", 1), EnvFile.lookup(FILE, "PROXY_PROTOCOL"));
        assertEquals(new EnvFile.Found("10.0.0.0/8", 1), EnvFile.lookup(FILE, "REAL_IP_FROM"));
        assertEquals(new EnvFile.Found(null, 0), EnvFile.lookup(FILE, "DEBUG"), "a bare key assigns no value");
        assertEquals(new EnvFile.Found("b", 2), EnvFile.lookup("K=a\nK=b\n", "K"), "the last one wins");
        assertNull(EnvFile.keyOf("  # K=1"));
        assertEquals("DEBUG", EnvFile.keyOf("DEBUG\r"));
    }

    @Test
    void setReplacesTheLineTheProbeReadsEvenWithExport() {
        // the line the probe reads is the line the fix replaces: no second PROXY_PROTOCOL is appended
        String set = EnvFile.set(FILE, "PROXY_PROTOCOL", "PROXY_PROTOCOL=mail");
        assertEquals("# Mailu\r\nPROXY_PROTOCOL=mail\r\n; old\r\nREAL_IP_FROM = \"10.0.0.0/8\"\r\nDEBUG\r\n", set);
        assertEquals(new EnvFile.Found("mail", 1), EnvFile.lookup(set, "PROXY_PROTOCOL"));
        assertEquals(set, EnvFile.set(set, "PROXY_PROTOCOL", "PROXY_PROTOCOL=mail"), "twice changes nothing");
    }

    @Test
    void unsetRemovesEveryLineOfTheKeysAndKeepsTheRestByteForByte() {
        String unset = EnvFile.unset(FILE, List.of("PROXY_PROTOCOL", "REAL_IP_FROM"));
        assertEquals("# Mailu\r\n; old\r\nDEBUG\r\n", unset);
        assertEquals(new EnvFile.Found(null, 0), EnvFile.lookup(unset, "REAL_IP_FROM"));
    }

    @Test
    void readsValuesAsComposeDoes() {
        String text = "A=plain # a comment\nB=\"quoted # not a comment\" # a comment\nC='single \\n literal'\n"
                + "D=\"line\\none \\\"q\\\"\"\nexport\tE=tab\nF=a#b\nG=\nH=  spaced  \n";
        assertEquals("plain", EnvFile.lookup(text, "A").value());
        assertEquals("quoted # not a comment", EnvFile.lookup(text, "B").value());
        assertEquals("single \\n literal", EnvFile.lookup(text, "C").value());
        assertEquals("line\none \"q\"", EnvFile.lookup(text, "D").value());
        assertEquals("tab", EnvFile.lookup(text, "E").value());
        assertEquals("a#b", EnvFile.lookup(text, "F").value(), "a # without a space before it is part of the value");
        assertEquals(new EnvFile.Found("", 1), EnvFile.lookup(text, "G"));
        assertEquals("spaced", EnvFile.lookup(text, "H").value());
    }

    @Test
    void entriesAreEveryAssignmentWithTheLastOneWinning() {
        assertEquals(java.util.Map.of("PROXY_PROTOCOL", "all", "REAL_IP_FROM", "10.0.0.0/8"), EnvFile.entries(FILE));
        assertEquals(List.of("K", "J"), List.copyOf(EnvFile.entries("K=1\nJ=2\nexport K=3\n").keySet()));
        assertEquals("3", EnvFile.entries("K=1\nJ=2\nexport K=3\n").get("K"));
    }

    @Test
    void setTouchesOnlyTheLineOfTheKey() {
        assertEquals("A=1\nK=2", EnvFile.set("A=1\nK=1", "K", "K=2"), "no newline added to a file that had none");
        assertEquals("A=1\r\nK=2\nB=1\r\n", EnvFile.set("A=1\r\nK=1\nB=1\r\n", "K", "K=2"), "the line keeps its own ending");
        assertEquals("A=1\r\n# why\r\nK=2\r\n", EnvFile.set("A=1\r\n", "K", "K=2", "# why"));
        assertEquals("A=1\n# why\nK=2\n", EnvFile.set("A=1", "K", "K=2", "# why"));
    }
}
