package dev.triage.docker;

import java.util.List;

/** The result of a command run inside a container; exitCode is null when it did not finish in time. */
public record ExecResult(List<String> command, Long exitCode, String output, boolean timedOut, long millis) { }
