package dev.triage.scenario;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One incident's decision tree: symptom -> tests -> verdict -> fixes. Loaded from a YAML file in
 * {@code scenarios/}; nothing in here is specific to one incident.
 *
 * @param words how values read in explanations, fix descriptions and the reason a fix does not
 *              apply: {@code TEST.FIELD} to each value's words (an outcome, true/false, "" for
 *              empty); commands and parameters always get the value itself
 * @param wordsLines the line of each reference's words, for the validator
 */
public record Scenario(
        String id,
        String title,
        String symptom,
        Incident incident,
        List<String> references,
        List<InputSpec> inputs,
        String start,
        Map<String, TestNode> tests,
        Map<String, Verdict> verdicts,
        Map<String, FixSpec> fixes,
        String source,
        Map<String, Map<String, String>> words,
        Map<String, Integer> wordsLines) {

    public Scenario {
        words = words == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(words));
        wordsLines = wordsLines == null ? Map.of() : Map.copyOf(wordsLines);
    }

    /** The line of the words for a reference (1 when not known). */
    public int wordsLine(String ref) {
        return wordsLines.getOrDefault(ref, 1);
    }

    /** A scenario that declares no words for its values. */
    public Scenario(String id, String title, String symptom, Incident incident, List<String> references,
                    List<InputSpec> inputs, String start, Map<String, TestNode> tests, Map<String, Verdict> verdicts,
                    Map<String, FixSpec> fixes, String source) {
        this(id, title, symptom, incident, references, inputs, start, tests, verdicts, fixes, source, Map.of(), Map.of());
    }

    /**
     * The incident a scenario was drawn from: its number, the write-up's file (internal, never
     * shown), a summary, and a short name that people read next to the number.
     */
    public record Incident(String id, String file, String summary, String name) {
        /** "incident 000 (Docker bridge, DROP in DOCKER-USER)", or "incident 000" without a name. */
        public String label() {
            return "incident " + id + (name == null || name.isBlank() ? "" : " (" + name + ")");
        }
    }

    public Optional<InputSpec> input(String name) {
        return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The fixes a verdict offers, in the order the scenario lists them. */
    public List<FixSpec> fixesFor(String verdictId) {
        Verdict verdict = verdicts.get(verdictId);
        return verdict == null ? List.of() : verdict.fixes().stream().map(fixes::get).toList();
    }
}
