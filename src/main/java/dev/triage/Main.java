package dev.triage;

import dev.triage.cli.TriageCommand;
import dev.triage.fix.Journal;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Entry point: sends the log to a file before anything can log, then runs the command line. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.setProperty("triage.log.file", logFile().toString());
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

    /** The state folder's triage.log, or a private temp file if that folder is not writable. */
    static Path logFile() {
        Path dir = Journal.defaultDir(System.getenv());
        try {
            Files.createDirectories(dir);
            if (Files.isWritable(dir)) {
                return dir.resolve("triage.log");
            }
        } catch (IOException | SecurityException ignored) {
            // fall through to a temp file
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "triage-" + ProcessHandle.current().pid() + ".log");
    }
}
