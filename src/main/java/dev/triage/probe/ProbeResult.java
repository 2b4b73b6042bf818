package dev.triage.probe;

/**
 * What a probe found: an outcome the tree branches on, its typed evidence, and one plain sentence.
 * {@code warnings}: what the admin should know even when the outcome is fine (port 465 answered in
 * plain text; a certificate name that could not be checked); every verdict shows them first.
 */
public record ProbeResult<E extends Record>(String outcome, E evidence, String summary, java.util.List<String> warnings) {

    /**
     * The outcome of a test that could not run (the engine sets it; a probe never declares it), and
     * the key of a tree's branch for that case.
     */
    public static final String INCONCLUSIVE = "inconclusive";

    public ProbeResult {
        warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }

    public static <E extends Record> ProbeResult<E> of(String outcome, E evidence, String summary) {
        return new ProbeResult<>(outcome, evidence, summary, java.util.List.of());
    }

    /** The same result with one more warning. */
    public ProbeResult<E> warning(String warning) {
        java.util.List<String> all = new java.util.ArrayList<>(warnings);
        all.add(warning);
        return new ProbeResult<>(outcome, evidence, summary, all);
    }
}
