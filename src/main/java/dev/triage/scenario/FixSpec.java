package dev.triage.scenario;

import java.util.List;
import java.util.Map;

/**
 * A fix as data: typed actions with parameters (placeholders resolved from inputs and evidence at
 * plan time), an optional condition, and how it is verified.
 *
 * @param when    evidence conditions, "test.field" to the value it must have; all must hold
 * @param needs   inputs that must be set for this fix to apply (e.g. compose-file)
 * @param verify  the test to run again, on fresh probe resources, and the outcomes that mean healed;
 *                null when the fix cannot be verified by the tool (then it says so)
 * @param then    a fix to offer, with its own confirmation, once this one is applied (a restart that
 *                loads a changed file); null when none
 * @param suggest for a needed input that was not given, where to find a value to SHOW the change
 *                against (the compose file in the container's labels): previewed, never applied
 */
public record FixSpec(String id, String title, String description, String warning, Map<String, String> when,
                      List<String> needs, List<ActionSpec> actions, VerifySpec verify, String then,
                      Map<String, String> suggest, int line) {

    public record ActionSpec(String kind, Map<String, Object> params, int line) { }

    /** @param within how long the test may keep failing before the fix counts as not healed (a restart settling); zero = one try */
    public record VerifySpec(String test, List<String> expect, java.time.Duration within) {
        public VerifySpec(String test, List<String> expect) {
            this(test, expect, java.time.Duration.ZERO);
        }
    }
}
