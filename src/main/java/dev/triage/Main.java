package dev.triage;

import dev.triage.cli.TriageCommand;
import dev.triage.fix.Journal;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
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
     * The state folder's triage.log when it can be written, else a private per-user file in the temp
     * folder: tinylog reports a file it cannot open on stderr, which must stay clean.
     */
    static Path logFile() {
        Path dir = Journal.defaultDir(System.getenv());
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("triage.log");
            if (Files.exists(file) ? Files.isWritable(file) : Files.isWritable(dir)) {
                return file;
            }
        } catch (IOException | SecurityException ignored) {
            // fall through to the temp folder
        }
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "triage-" + System.getProperty("user.name") + ".log");
        try {
            if (!Files.exists(fallback)) {
                Files.createFile(fallback, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
            if (Files.isWritable(fallback)) {
                return fallback;
            }
        } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
            // nowhere to log: better no log than log lines on the terminal
        }
        return Path.of("/dev/null");
    }
}
