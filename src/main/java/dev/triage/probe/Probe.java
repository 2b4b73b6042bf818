package dev.triage.probe;

import java.util.Set;

/**
 * One kind of test, small and single-purpose. A probe reads (or briefly creates labelled, throw-away
 * Docker resources) but never changes the user's system. It must return within its time limit
 * ({@link ProbeContext#deadline()}); the engine also abandons it at the limit.
 *
 * @param <E> the typed evidence it returns (a record, serialised as is into reports)
 */
public interface Probe<E extends Record> {

    String kind();

    /** Every outcome it can return besides "inconclusive" (which the engine adds when it cannot run). */
    Set<String> outcomes();

    Set<String> requiredParams();

    default Set<String> optionalParams() { return Set.of(); }

    Class<E> evidenceType();

    ProbeResult<E> run(ProbeParams params, ProbeContext context) throws Exception;
}
