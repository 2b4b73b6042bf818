package dev.triage.fix;

/** A fix action could not be checked, applied or undone; the message says what to do. */
public final class FixException extends Exception {
    public FixException(String message) {
        super(message);
    }
}
