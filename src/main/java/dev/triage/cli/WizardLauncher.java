package dev.triage.cli;

import dev.triage.app.Triage;
import dev.triage.line.LineWizard;
import dev.triage.wizard.WizardSession;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Map;

/**
 * Starts the wizard in the face the terminal allows. Line mode (JLine) for --plain, TERM=dumb or
 * unset, and no terminal at all (ssh without -t, cron). Only one library ever owns the terminal.
 */
final class WizardLauncher {

    private WizardLauncher() { }

    static int launch(Triage triage, boolean plain, boolean explain, Duration budget) {
        try (WizardSession session = new WizardSession(triage, budget, m -> System.err.println("triage: " + m));
             Terminal terminal = lineTerminal(System.getenv())) {
            return new LineWizard(session, terminal, explain).run();
        } catch (IOException e) {
            System.err.println("triage: cannot use this terminal (" + e.getMessage() + "); run a subcommand instead: triage --help");
            return TriageCommand.USAGE;
        }
    }

    /** A system terminal when there is one, else a dumb one over stdin/stdout (never a warning on screen). */
    static Terminal lineTerminal(Map<String, String> env) throws IOException {
        String term = env.getOrDefault("TERM", "");
        boolean tty = System.console() != null;
        if (!tty || term.isEmpty() || term.equals("dumb")) {
            Terminal dumb = TerminalBuilder.builder().system(false).streams(System.in, System.out).type("dumb")
                    .encoding(Charset.defaultCharset()).build();
            dumb.echo(!tty ? false : dumb.echo()); // piped answers are not shown twice
            return dumb;
        }
        return TerminalBuilder.builder().system(true).build();
    }
}
