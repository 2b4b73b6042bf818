package dev.triage.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.TerminalResizeListener;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A terminal layer under the screen for terminals that are not UTF-8 or want no colour: box
 * drawing, arrows and blocks become ASCII ('+', '-', '|', '^', 'v', '#') instead of '?', and
 * colours are dropped for NO_COLOR (reverse video still marks the selection). Everything above
 * it (screen, GUI) stays as it is: one responsibility per layer.
 */
public final class AsciiTerminal implements Terminal {
    private final Terminal delegate;
    private final boolean ascii;
    private final boolean color;

    public AsciiTerminal(Terminal delegate, boolean ascii, boolean color) {
        this.delegate = delegate;
        this.ascii = ascii;
        this.color = color;
    }

    /** The ASCII stand-in for a character a non-UTF-8 terminal cannot show. */
    public static char ascii(char c) {
        if (c < 0x80) {
            return c;
        }
        if (c >= 0x2500 && c <= 0x257F) { // box drawing
            return switch (c) {
                case '─', '━', '═', '╌', '╍', '┄', '┅', '┈', '┉', '╴', '╶', '╸', '╺' -> '-';
                case '│', '┃', '║', '╎', '╏', '┆', '┇', '┊', '┋', '╵', '╷', '╹', '╻' -> '|';
                default -> '+';
            };
        }
        if (c >= 0x2580 && c <= 0x259F) { // block elements (scroll bar thumbs, shadows)
            return c == '░' ? '.' : c == '▒' || c == '▓' ? ':' : '#';
        }
        return switch (c) {
            case '←', '◄', '◀', '‹', '«' -> '<';
            case '→', '►', '▶', '›', '»' -> '>';
            case '↑', '▲', '▴' -> '^';
            case '↓', '▼', '▾' -> 'v';
            case '•', '●', '◆', '■', '□', '○', '◎', '◉' -> '*';
            case '✓', '✔' -> '+';
            case '✗', '✘', '×' -> 'x';
            case '…' -> '~';
            case '–', '—' -> '-';
            case '‘', '’' -> '\'';
            case '“', '”' -> '"';
            case '\u00A0' -> ' ';
            default -> '?';
        };
    }

    @Override
    public void putCharacter(char c) throws IOException {
        delegate.putCharacter(ascii ? ascii(c) : c);
    }

    @Override
    public void putString(String s) throws IOException {
        if (!ascii) {
            delegate.putString(s);
            return;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            sb.append(ascii(s.charAt(i)));
        }
        delegate.putString(sb.toString());
    }

    @Override
    public void setForegroundColor(TextColor c) throws IOException {
        if (color) {
            delegate.setForegroundColor(c);
        }
    }

    @Override
    public void setBackgroundColor(TextColor c) throws IOException {
        if (color) {
            delegate.setBackgroundColor(c);
        }
    }

    @Override
    public TextGraphics newTextGraphics() throws IOException {
        return delegate.newTextGraphics();
    }

    @Override public void enterPrivateMode() throws IOException { delegate.enterPrivateMode(); }
    @Override public void exitPrivateMode() throws IOException { delegate.exitPrivateMode(); }
    @Override public void clearScreen() throws IOException { delegate.clearScreen(); }
    @Override public void setCursorPosition(int x, int y) throws IOException { delegate.setCursorPosition(x, y); }
    @Override public void setCursorPosition(TerminalPosition p) throws IOException { delegate.setCursorPosition(p); }
    @Override public TerminalPosition getCursorPosition() throws IOException { return delegate.getCursorPosition(); }
    @Override public void setCursorVisible(boolean visible) throws IOException { delegate.setCursorVisible(visible); }
    @Override public void enableSGR(SGR sgr) throws IOException { delegate.enableSGR(sgr); }
    @Override public void disableSGR(SGR sgr) throws IOException { delegate.disableSGR(sgr); }
    @Override public void resetColorAndSGR() throws IOException { delegate.resetColorAndSGR(); }
    @Override public void addResizeListener(TerminalResizeListener l) { delegate.addResizeListener(l); }
    @Override public void removeResizeListener(TerminalResizeListener l) { delegate.removeResizeListener(l); }
    @Override public TerminalSize getTerminalSize() throws IOException { return delegate.getTerminalSize(); }
    @Override public byte[] enquireTerminal(int t, TimeUnit u) throws IOException { return delegate.enquireTerminal(t, u); }
    @Override public void bell() throws IOException { delegate.bell(); }
    @Override public void flush() throws IOException { delegate.flush(); }
    @Override public void close() throws IOException { delegate.close(); }
    @Override public KeyStroke pollInput() throws IOException { return delegate.pollInput(); }
    @Override public KeyStroke readInput() throws IOException { return delegate.readInput(); }
}
