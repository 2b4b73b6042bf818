package dev.triage.tui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** issue 15: what the text UI puts on screen (rows, status line, panes) is made printable. */
class PrintableScreensTest {
    @Test
    void rowsAndPanesEscapeControlCharacters() {
        assertEquals("front\\x1b[2J", WizardWindow.fit("front\u001b[2J", 40));
        assertEquals(List.of("  value=x\\x1b]0;title\\x07"), Dialogs.fit(List.of("  value=x\u001b]0;title\u0007"), 60, l -> false));
    }
}
