package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.DefaultWindowManager;
import com.googlecode.lanterna.gui2.EmptySpace;
import com.googlecode.lanterna.gui2.MultiWindowTextGUI;
import com.googlecode.lanterna.gui2.SameTextGUIThread;
import com.googlecode.lanterna.gui2.TextGUIThread;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import dev.triage.wizard.WizardSession;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The wizard as a Lanterna text UI, layered as Lanterna is: the terminal (the tty, or a virtual
 * one in tests), an ASCII/no-colour layer where needed, the screen, then GUI2 with the wizard's
 * window. While it owns the terminal nothing else may write to it: System.out and System.err go
 * to the log until the terminal is restored.
 */
public final class TextUi {
    private final WizardSession session;
    private final Terminal terminal;
    private final TerminalProfile profile;
    private final boolean explain;
    private volatile WizardWindow window;

    public TextUi(WizardSession session, Terminal terminal, TerminalProfile profile, boolean explain) {
        this.session = session;
        this.terminal = profile.ascii() || !profile.color() ? new AsciiTerminal(terminal, profile.ascii(), profile.color()) : terminal;
        this.profile = profile;
        this.explain = explain;
    }

    /** Opens the controlling terminal with the profile's charset; fails when there is no /dev/tty. */
    public static Terminal openTty(TerminalProfile profile, Map<String, String> env) throws IOException {
        return new TtyTerminal(profile.charset(), env);
    }

    /** Shows a notice (a shutdown message, an engine warning) on the status line while the UI runs. */
    public boolean notice(String text) {
        WizardWindow w = window;
        if (w == null || w.leaving()) {
            return false;
        }
        Logger.info("notice: {}", text);
        try {
            w.gui.getGUIThread().invokeLater(() -> w.status(text));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Runs the wizard until it is left; returns its exit code (0/1/2 by the last diagnosis, 130 left early). */
    public int run() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        TerminalScreen screen = new TerminalScreen(terminal);
        WizardWindow w = null;
        try {
            screen.startScreen();
            System.setOut(toLog("stdout"));
            System.setErr(toLog("stderr"));
            MultiWindowTextGUI gui = new MultiWindowTextGUI(new SameTextGUIThread.Factory(), screen,
                    new DefaultWindowManager(), null, new EmptySpace(TuiTheme.DEFAULT));
            gui.setTheme(TuiTheme.of(profile.color()));
            gui.getGUIThread().setExceptionHandler(new TextGUIThread.ExceptionHandler() {
                @Override
                public boolean onIOException(IOException e) {
                    Logger.error(e, "terminal I/O failed");
                    return true; // the terminal is gone (ssh dropped): stop
                }

                @Override
                public boolean onRuntimeException(RuntimeException e) {
                    Logger.error(e, "text UI error");
                    WizardWindow current = window;
                    if (current != null) {
                        current.status("Internal error, see the log: " + dev.triage.host.Failures.words(e));
                    }
                    return false; // keep going: the screen is redrawn, the session is intact
                }
            });
            TerminalSize size = screen.getTerminalSize();
            w = new WizardWindow(gui, session, new Marks(profile.ascii()), profile.color(), explain, size);
            window = w;
            WizardWindow resizeTarget = w;
            terminal.addResizeListener((t, newSize) -> {
                try {
                    gui.getGUIThread().invokeLater(() -> resizeTarget.resized(newSize));
                } catch (IllegalStateException ignored) {
                    // the UI is closing
                }
            });
            w.show(new SymptomScreen(w));
            gui.addWindowAndWait(w);
        } finally {
            if (w != null) {
                w.leave(w.exitCode()); // whatever ended the loop: stop the diagnosis that may run
            }
            try {
                screen.stopScreen();
            } finally {
                terminal.close(); // the tty's settings (echo, line mode) come back here
                System.setOut(out);
                System.setErr(err);
            }
        }
        if (!w.awaitWork(30_000)) {
            err.println("triage: still cleaning up; the leftovers will be swept by the next run");
        }
        return w.exitCode();
    }

    /** A stream that sends each line to the log instead of over the screen. */
    private static PrintStream toLog(String name) {
        return new PrintStream(new OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b == '\n') {
                    Logger.info("{}: {}", name, line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (line.size() < 8192) {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }
}
