package dev.triage.tui;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerminalProfileTest {

    @Test
    void utf8LocaleOnARealTerminalGetsTheTextUi() {
        TerminalProfile p = TerminalProfile.decide(Map.of("TERM", "xterm-256color", "LANG", "en_US.UTF-8"), false, true);
        assertEquals(TerminalProfile.Face.TEXT_UI, p.face());
        assertEquals(StandardCharsets.UTF_8, p.charset());
        assertFalse(p.ascii());
        assertTrue(p.color());
    }

    @Test
    void langCIsAsciiWhateverTheJvmDefaultIs() {
        TerminalProfile p = TerminalProfile.decide(Map.of("TERM", "xterm", "LANG", "C"), false, true);
        assertEquals(StandardCharsets.US_ASCII, p.charset());
        assertTrue(p.ascii());
        assertEquals(TerminalProfile.Face.TEXT_UI, p.face());
    }

    @Test
    void lcAllWinsOverLang() {
        assertTrue(TerminalProfile.decide(Map.of("TERM", "xterm", "LANG", "C", "LC_ALL", "de_DE.utf8"), false, true).charset()
                .equals(StandardCharsets.UTF_8));
        assertTrue(TerminalProfile.decide(Map.of("TERM", "xterm", "LANG", "en_US.UTF-8", "LC_ALL", "POSIX"), false, true).ascii());
        assertTrue(TerminalProfile.decide(Map.of("TERM", "xterm", "LC_CTYPE", "C.UTF-8"), false, true).charset()
                .equals(StandardCharsets.UTF_8));
    }

    @Test
    void lineModeForPlainDumbAndNoTerminal() {
        assertEquals(TerminalProfile.Face.LINE, TerminalProfile.decide(Map.of("TERM", "xterm"), true, true).face());
        assertEquals(TerminalProfile.Face.LINE, TerminalProfile.decide(Map.of("TERM", "dumb"), false, true).face());
        assertEquals(TerminalProfile.Face.LINE, TerminalProfile.decide(Map.of(), false, true).face());
        TerminalProfile cron = TerminalProfile.decide(Map.of("TERM", "xterm"), false, false);
        assertEquals(TerminalProfile.Face.LINE, cron.face());
        assertTrue(cron.reason().contains("no terminal"), cron.reason());
    }

    @Test
    void noColorIsRespected() {
        assertFalse(TerminalProfile.decide(Map.of("TERM", "xterm", "NO_COLOR", "1"), false, true).color());
        assertTrue(TerminalProfile.decide(Map.of("TERM", "xterm", "NO_COLOR", ""), false, true).color(), "empty means unset");
    }
}
