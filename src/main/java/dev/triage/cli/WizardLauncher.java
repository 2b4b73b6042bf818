package dev.triage.cli;

import dev.triage.app.Triage;
import dev.triage.line.LineWizard;
import dev.triage.tui.TerminalProfile;
import dev.triage.tui.TextUi;
import dev.triage.wizard.WizardSession;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Starts the wizard in the face the terminal allows: the text UI (Lanterna) on a real terminal,
 * the line dialog (JLine) for --plain, TERM=dumb or unset, and no terminal at all (ssh without -t,
 * cron). Only one library ever owns the terminal: the text UI has restored it before line mode
 * could start.
 */
final class WizardLauncher {

    private WizardLauncher() { }

    static int launch(Triage triage, Map<String, String> env, InputStream in, Streams streams, boolean plain, boolean explain,
                      Duration budget) {
        // streams a caller gave (a test's) have no terminal behind them: the line dialog over them
        boolean own = streams.processStreams() && in == System.in;
        TerminalProfile profile = TerminalProfile.decide(env, plain, own && hasTty());
        AtomicReference<TextUi> ui = new AtomicReference<>();
        Consumer<String> notices = m -> {
            TextUi current = ui.get();
            if (current == null || !current.notice(m)) {
                streams.err().println("triage: " + m);
            }
        };
        try (WizardSession session = new WizardSession(triage, budget, java.nio.file.Path.of(""), notices)) {
            if (profile.face() == TerminalProfile.Face.TEXT_UI) {
                com.googlecode.lanterna.terminal.Terminal tty;
                try {
                    tty = TextUi.openTty(profile, env);
                } catch (IOException | RuntimeException e) {
                    streams.err().println("triage: the text UI cannot use this terminal (" + dev.triage.host.Failures.words(e) + "); using line mode");
                    return lineMode(session, profile, env, in, streams, own, explain);
                }
                TextUi textUi = new TextUi(session, tty, profile, explain);
                ui.set(textUi);
                try {
                    return textUi.run();
                } finally {
                    ui.set(null);
                }
            }
            return lineMode(session, profile, env, in, streams, own, explain);
        } catch (IOException e) {
            streams.err().println("triage: cannot use this terminal (" + dev.triage.host.Failures.words(e) + "); run a subcommand instead: triage --help");
            return TriageCommand.USAGE;
        }
    }

    private static int lineMode(WizardSession session, TerminalProfile profile, Map<String, String> env, InputStream in,
                                Streams streams, boolean own, boolean explain) throws IOException {
        try (Terminal terminal = lineTerminal(env, profile, in, streams.rawOut(), own)) {
            return new LineWizard(session, terminal, explain).run();
        }
    }

    /** A terminal for the text UI: stdin and stdout on a tty, and /dev/tty opens (Lanterna runs stty on it). */
    static boolean hasTty() {
        if (System.console() == null) {
            return false;
        }
        try (RandomAccessFile tty = new RandomAccessFile("/dev/tty", "rw")) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** A system terminal when there is one, else a dumb one over stdin/stdout (never a warning on screen). */
    static Terminal lineTerminal(Map<String, String> env, TerminalProfile profile, InputStream in, java.io.OutputStream out,
                                 boolean terminal) throws IOException {
        String term = env.getOrDefault("TERM", "");
        boolean tty = terminal && System.console() != null;
        if (!tty || term.isEmpty() || term.equals("dumb")) {
            // reads and writes in this thread: no pump thread that could drop the last lines at exit
            Terminal dumb = new org.jline.terminal.impl.DumbTerminal("triage", "dumb", in, out, profile.charset());
            dumb.echo(!tty ? false : dumb.echo()); // piped answers are not shown twice
            return dumb;
        }
        return TerminalBuilder.builder().system(true).encoding(profile.charset()).build();
    }
}
