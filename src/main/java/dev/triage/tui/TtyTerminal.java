package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * The controlling terminal (/dev/tty), as Lanterna's Unix terminal with two changes: the charset is
 * the one the profile chose, and the size comes from {@code stty size} (the kernel's window size)
 * instead of Lanterna's cursor-position query, which stalls for 5 s on terminals that never answer
 * it. Ctrl-C arrives as a key, so the wizard can stop its probes and restore the screen itself.
 */
final class TtyTerminal extends UnixTerminal {
    private final Map<String, String> env;

    TtyTerminal(Charset charset, Map<String, String> env) throws IOException {
        super(System.in, System.out, charset, UnixLikeTerminal.CtrlCBehaviour.TRAP);
        this.env = env;
    }

    @Override
    protected TerminalSize findTerminalSize() {
        try {
            TerminalSize size = parseSttySize(runSTTYCommand("size"));
            if (size != null) {
                return size;
            }
        } catch (IOException | RuntimeException ignored) {
            // no size from the kernel (a serial line, some multiplexers): fall back below
        }
        return fallbackSize(env);
    }

    /** "ROWS COLS" as stty prints it; null when unusable (0 0 on a line that never set a size). */
    static TerminalSize parseSttySize(String text) {
        String[] parts = text == null ? new String[0] : text.strip().split("\\s+");
        if (parts.length != 2) {
            return null;
        }
        try {
            int rows = Integer.parseInt(parts[0]);
            int cols = Integer.parseInt(parts[1]);
            return rows > 0 && cols > 0 ? new TerminalSize(cols, rows) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** COLUMNS and LINES when the shell exported them, else the classic 80x24. */
    static TerminalSize fallbackSize(Map<String, String> env) {
        return new TerminalSize(positive(env.get("COLUMNS"), 80), positive(env.get("LINES"), 24));
    }

    private static int positive(String value, int otherwise) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.strip());
            return n > 0 && n < 10_000 ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
