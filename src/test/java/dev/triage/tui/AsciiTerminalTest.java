package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiTerminalTest {

    @Test
    void boxDrawingArrowsAndBlocksBecomeAscii() {
        assertEquals("+-+|+-+|#^v<>*?", map("┌─┐│└─┘║█▲▼◄►•\u4e2d"));
        assertEquals("plain ascii stays", map("plain ascii stays"));
    }

    private static String map(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(AsciiTerminal.ascii((char) c)));
        return sb.toString();
    }

    /** A bordered GUI2 window on an ASCII-only terminal: its frame is drawn with + - |, nothing is '?'. */
    @Test
    void aWindowFrameOnAnAsciiTerminal() throws Exception {
        DefaultVirtualTerminal virtual = new DefaultVirtualTerminal(new TerminalSize(40, 8));
        TerminalScreen screen = new TerminalScreen(new AsciiTerminal(virtual, true, false));
        screen.startScreen();
        MultiWindowTextGUI gui = new MultiWindowTextGUI(screen);
        BasicWindow window = new BasicWindow("Symptoms");
        Panel panel = new Panel();
        panel.addComponent(new Label("Port 465: unexpected eof").withBorder(Borders.singleLine("box")));
        window.setComponent(panel);
        window.setHints(List.of(com.googlecode.lanterna.gui2.Window.Hint.CENTERED));
        gui.addWindow(window);
        gui.updateScreen();
        StringBuilder text = new StringBuilder();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 40; x++) {
                text.append(virtual.getCharacter(x, y).getCharacterString());
            }
            text.append('\n');
        }
        String shown = text.toString();
        assertTrue(shown.contains("Port 465: unexpected eof"), shown);
        assertTrue(shown.contains("+") && shown.contains("-") && shown.contains("|"), shown);
        assertFalse(shown.chars().anyMatch(c -> c >= 0x80), "only ASCII reaches the terminal:\n" + shown);
        assertEquals(TextColor.ANSI.DEFAULT, virtual.getCharacter(0, 0).getForegroundColor(), "NO_COLOR: no colour is set");
        screen.stopScreen();
    }
}
