package dev.triage;

import dev.triage.cli.TriageCommand;
import dev.triage.app.LogFile;
import dev.triage.fix.Journal;

import java.nio.file.Path;

/** Entry point: sends the log to a file before anything can log, then runs the command line. */
public final class Main {
    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");

    private Main() { }

    public static void main(String[] args) {
        System.setProperty("triage.log.file", logFile().toString());
        System.setProperty("java.awt.headless", "true"); // the text UI's colours come from java.desktop: never a window
        JLINE_LOG.setLevel(java.util.logging.Level.OFF); // nothing over the screen, not even a pump's warning
        int code = TriageCommand.runOnSystemStreams(args);
        System.exit(code);
    }

    /** The command line in-process (tests, embedding): its exit code, with everything written to {@code out} and {@code err}. */
    public static int run(java.io.PrintStream out, java.io.PrintStream err, String... args) {
        return TriageCommand.run(out, err, args);
    }

    /**
     * The state folder's log/triage.log, or no log at all (with one line on stderr saying why): never
     * a file in a shared folder, where another user could plant a link, and never the terminal.
     */
    static Path logFile() {
        LogFile log = LogFile.in(Journal.defaultDir(System.getenv()));
        log.warning().ifPresent(dev.triage.report.Printable.stderr()::println);
        return log.file().orElse(Path.of("/dev/null"));
    }
}
