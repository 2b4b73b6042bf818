package dev.triage.scenario;

import java.util.Map;
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

    /**
     * @param yesNoFields the evidence fields that hold true or false (shown to a person only through words)
     * @param groups names for several outcomes at once, usable in {@code next:} and a fix's {@code expect:}
     */
    record ProbeKind(Set<String> outcomes, Set<String> requiredParams, Set<String> optionalParams,
                     Set<String> evidenceFields, Set<String> yesNoFields, Map<String, Set<String>> groups) {
        public ProbeKind {
            groups = groups == null ? Map.of() : groups;
        }

        public ProbeKind(Set<String> outcomes, Set<String> requiredParams, Set<String> optionalParams, Set<String> evidenceFields) {
            this(outcomes, requiredParams, optionalParams, evidenceFields, Set.of(), Map.of());
        }

        public ProbeKind(Set<String> outcomes, Set<String> requiredParams, Set<String> optionalParams,
                         Set<String> evidenceFields, Set<String> yesNoFields) {
            this(outcomes, requiredParams, optionalParams, evidenceFields, yesNoFields, Map.of());
        }
    }

    record ActionKind(Set<String> requiredParams, Set<String> optionalParams) { }
}
