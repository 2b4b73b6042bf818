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

    /**
     * The outcomes that by themselves say nothing is wrong (a connection made, a container found):
     * a test that ended in one never carries a problem mark, even when a verdict shows it as evidence.
     */
    default Set<String> fineOutcomes() { return Set.of(); }

    Set<String> requiredParams();

    default Set<String> optionalParams() { return Set.of(); }

    Class<E> evidenceType();

    ProbeResult<E> run(ProbeParams params, ProbeContext context) throws Exception;
}
