package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The terminal size without Lanterna's cursor query: stty's answer, else COLUMNS/LINES, else 80x24. */
class TtyTerminalTest {

    @Test
    void sttySizeIsRowsThenColumns() {
        assertEquals(new TerminalSize(80, 24), TtyTerminal.parseSttySize("24 80\n"));
        assertEquals(new TerminalSize(211, 57), TtyTerminal.parseSttySize(" 57 211 "));
    }

    @Test
    void aLineThatNeverSetASizeIsNotASize() {
        assertNull(TtyTerminal.parseSttySize("0 0"));
        assertNull(TtyTerminal.parseSttySize(""));
        assertNull(TtyTerminal.parseSttySize(null));
        assertNull(TtyTerminal.parseSttySize("stty: 'standard input': Inappropriate ioctl for device"));
    }

    @Test
    void theFallbackIsTheShellsSizeOrTheClassicOne() {
        assertEquals(new TerminalSize(132, 43), TtyTerminal.fallbackSize(Map.of("COLUMNS", "132", "LINES", "43")));
        assertEquals(new TerminalSize(80, 24), TtyTerminal.fallbackSize(Map.of()));
        assertEquals(new TerminalSize(80, 24), TtyTerminal.fallbackSize(Map.of("COLUMNS", "-3", "LINES", "lots")));
    }
}
