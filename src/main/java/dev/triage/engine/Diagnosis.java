package dev.triage.engine;

import dev.triage.scenario.Verdict;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of walking a scenario: the path taken (steps), and either a verdict with its
 * explanation rendered from the evidence, or the reason the walk stopped inconclusive.
 */
public record Diagnosis(String scenario, Map<String, String> inputs, List<StepResult> steps, Verdict verdict,
                        String explanation, String inconclusiveReason, long millis) {

    public enum Status { HEALTHY, PROBLEM, INCONCLUSIVE }

    public Status status() {
        if (verdict == null || verdict.inconclusive()) {
            return Status.INCONCLUSIVE;
        }
        return verdict.healthy() ? Status.HEALTHY : Status.PROBLEM;
    }

    /**
     * What the admin should know whatever the verdict (a healthy one included): the warnings of the
     * tests on the path, in order, once each. Every face shows them before the explanation.
     */
    public List<String> warnings() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        for (StepResult step : steps) {
            all.addAll(step.warnings());
        }
        return List.copyOf(all);
    }

    /** Evidence of every test on the path, by test id (what fix placeholders resolve against). */
    public Map<String, Map<String, Object>> evidence() {
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (StepResult step : steps) {
            all.put(step.test(), step.fields());
        }
        return all;
    }
}
