package dev.triage.scenario;

import java.util.Optional;
import java.util.Set;

/**
 * What the validator needs to know about the probe kinds and fix action kinds the program has,
 * without the scenario package depending on their implementations.
 */
public interface KindCatalog {

    Optional<ProbeKind> probe(String kind);

    Optional<ActionKind> action(String kind);

    Set<String> probeKinds();

    Set<String> actionKinds();

    record ProbeKind(Set<String> outcomes, Set<String> requiredParams, Set<String> optionalParams,
                     Set<String> evidenceFields) { }

    record ActionKind(Set<String> requiredParams, Set<String> optionalParams) { }
}
