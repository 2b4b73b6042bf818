package dev.triage.probe;

/**
 * One kind of test, small and single-purpose. A probe reads (or briefly creates labelled, throw-away
 * Docker resources) but never changes the user's system. It must return within its time limit
 * ({@link ProbeContext#deadline()}); the engine also abandons it at the limit.
 *
 * @param <E> the typed evidence it returns (a record, serialised as is into reports)
 */
public interface Probe<E extends Record> {

    /** Its kind, outcomes, parameters and evidence type, declared once in the probe's class. */
    ProbeSpec<E> spec();

    ProbeResult<E> run(ProbeParams params, ProbeContext context) throws Exception;
}
