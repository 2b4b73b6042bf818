package dev.triage;

import dev.triage.cli.TriageCommand;
import dev.triage.app.LogFile;
import dev.triage.fix.Journal;
import picocli.CommandLine;

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
        CommandLine cli = new CommandLine(new TriageCommand())
                .setErr(new java.io.PrintWriter(dev.triage.report.Printable.stderr(), true))
                .setParameterExceptionHandler((e, a) -> {
                    CommandLine c = e.getCommandLine();
                    c.getErr().println("triage: " + e.getMessage());
                    c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
                    return TriageCommand.USAGE;
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("triage: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                    org.tinylog.Logger.error(e, "command failed");
                    return TriageCommand.INCONCLUSIVE;
                });
        int code = cli.execute(args);
        System.exit(code);
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
