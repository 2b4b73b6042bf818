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
}
