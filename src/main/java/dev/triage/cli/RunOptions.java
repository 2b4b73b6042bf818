package dev.triage.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;

/** What every run of a scenario takes, in the wizard and in diagnose/fix: the budget and training mode. */
final class RunOptions {
    @Option(names = "--explain", description = "Training mode: for each test, say what it checks and how to run it by hand.")
    boolean explain;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "The time budget in seconds for all tests together (default: ${DEFAULT-VALUE}); each test also has its own limit.")
    int timeoutSeconds;

    /** The budget, or a usage error (exit 64) that says the range. */
    Duration budget(CommandLine commandLine) {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new CommandLine.ParameterException(commandLine, "--timeout must be between 1 and 3600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }
}
