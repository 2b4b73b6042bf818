package dev.triage.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The two streams a run of the command line writes to, given to {@link TriageCommand#run(PrintStream,
 * PrintStream, String...)}: the process's stdout and stderr in main, captured ones in a test. What
 * people read goes through {@link dev.triage.report.Printable}; the raw stdout carries JSON only.
 */
record Streams(PrintStream rawOut, PrintStream out, PrintStream err) {

    /** Streams a caller gives (a test's): UTF-8. */
    static Streams of(PrintStream stdout, PrintStream stderr) {
        return new Streams(stdout, dev.triage.report.Printable.stream(stdout, StandardCharsets.UTF_8),
                dev.triage.report.Printable.stream(stderr, StandardCharsets.UTF_8));
    }

    /** The process's stdout and stderr, in the encodings the JVM names for them. */
    static Streams system() {
        return new Streams(System.out, dev.triage.report.Printable.stdout(), dev.triage.report.Printable.stderr());
    }

    /** Whether these are the process's own streams (a terminal may be behind them; a test's never). */
    boolean processStreams() {
        return rawOut == System.out;
    }

    Output output(boolean json) {
        return new Output(json ? err : out, err, rawOut);
    }

    PrintWriter outWriter() {
        return new PrintWriter(out, true);
    }

    PrintWriter errWriter() {
        return new PrintWriter(err, true);
    }
}
