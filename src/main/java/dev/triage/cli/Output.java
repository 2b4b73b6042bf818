package dev.triage.cli;

import java.io.PrintStream;

/**
 * Where a command writes: with --json, stdout carries exactly one JSON document and everything
 * for humans goes to stderr; without it, the report goes to stdout.
 *
 * @param json the raw stdout, for the JSON document only (JSON escapes its own strings)
 */
record Output(PrintStream report, PrintStream progress, PrintStream json) { }
