package dev.triage.lab;

/** A lab could not be started, checked or stopped; the message says why and what to do. */
public final class LabException extends Exception {
    public LabException(String message) {
        super(message);
    }
}
