package dev.triage.scenario;

/** One thing wrong with a scenario file, printed as {@code file:line: message}. */
public record Problem(String file, int line, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
