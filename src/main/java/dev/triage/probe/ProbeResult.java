package dev.triage.probe;

/**
 * What a probe found: an outcome the tree branches on, its typed evidence, and one plain sentence.
 */
public record ProbeResult<E extends Record>(String outcome, E evidence, String summary) {

    public static <E extends Record> ProbeResult<E> of(String outcome, E evidence, String summary) {
        return new ProbeResult<>(outcome, evidence, summary);
    }
}
