package dev.triage.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.Map;

/**
 * One test as it ran: outcome, duration, a sentence, and its typed evidence. {@code error} is set
 * when the test was inconclusive (it could not run, or hit its time limit).
 */
public record StepResult(String test, String title, String probe, String outcome, long millis, String summary,
                         Object evidence, String error, String next, List<String> warnings) {

    public StepResult {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        // a Java class name in a probe's sentence is said in words (the class is in the log)
        summary = dev.triage.host.Failures.withoutClassNames(summary);
        error = dev.triage.host.Failures.withoutClassNames(error);
    }

    /** A step without warnings. */
    public StepResult(String test, String title, String probe, String outcome, long millis, String summary,
                      Object evidence, String error, String next) {
        this(test, title, probe, outcome, millis, summary, evidence, error, next, List.of());
    }

    public boolean inconclusive() {
        return dev.triage.probe.ProbeResult.INCONCLUSIVE.equals(outcome);
    }

    /** The evidence as fields, for placeholders, plus the step's own "outcome". */
    @JsonIgnore
    public Map<String, Object> fields() {
        Map<String, Object> fields = new java.util.LinkedHashMap<>(EvidenceFields.of(evidence));
        fields.replaceAll((k, v) -> v instanceof String text ? dev.triage.host.Failures.withoutClassNames(text) : v);
        fields.putIfAbsent("outcome", outcome);
        return fields;
    }
}
