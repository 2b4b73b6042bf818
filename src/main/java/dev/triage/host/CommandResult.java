package dev.triage.host;

import java.util.List;

/** What a host command did. {@code exitCode} is -1 when it was killed at its time limit or could not start. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut,
                            long millis) {

    public boolean ok() {
        return exitCode == 0 && !timedOut;
    }

    /** The command line as an admin would type it (for evidence and previews; never executed through a shell). */
    public String commandLine() {
        return ShellQuote.join(argv);
    }
}
