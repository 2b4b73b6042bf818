package dev.triage.cli;

import java.io.PrintStream;

/**
 * Where a command writes: with --json, stdout carries exactly one JSON document and everything
 * for humans goes to stderr; without it, the report goes to stdout.
 */
public record Output(PrintStream report, PrintStream progress, boolean json) {

    public static Output of(boolean json) {
        // what people read is made printable; the JSON document itself goes to System.out as it is
        PrintStream err = dev.triage.report.Printable.stderr();
        return new Output(json ? err : dev.triage.report.Printable.stdout(), err, json);
    }
}
