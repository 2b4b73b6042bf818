package dev.triage.cli;

import java.io.PrintStream;

/**
 * Where a command writes: with --json, stdout carries exactly one JSON document and everything
 * for humans goes to stderr; without it, the report goes to stdout.
 */
public record Output(PrintStream report, PrintStream progress, boolean json) {

    public static Output of(boolean json) {
        return new Output(json ? System.err : System.out, System.err, json);
    }
}
