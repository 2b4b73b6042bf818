package dev.triage.lab;

import dev.triage.scenario.Problem;
import dev.triage.scenario.ScenarioRepository;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The labs bundled in the jar (folder {@code labs/}), read like the scenarios: a file with a
 * problem is left out and its problems kept, with file and line.
 */
public final class LabRepository {
    private final Map<String, Lab> labs;
    private final List<Problem> problems;

    private LabRepository(Map<String, Lab> labs, List<Problem> problems) {
        this.labs = labs;
        this.problems = problems;
    }

    public static LabRepository load(ScenarioRepository scenarios) {
        return of(ScenarioRepository.bundled("labs"), scenarios);
    }

    static LabRepository of(List<ScenarioRepository.Source> sources, ScenarioRepository scenarios) {
        Map<String, Lab> labs = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (ScenarioRepository.Source source : sources) {
            LabParser.Parsed parsed = LabParser.parse(source.name(), source.text(), scenarios);
            problems.addAll(parsed.problems());
            if (parsed.lab() == null) {
                continue;
            }
            Lab previous = labs.putIfAbsent(parsed.lab().id(), parsed.lab());
            if (previous != null) {
                problems.add(new Problem(source.name(), 1, "lab id '" + parsed.lab().id() + "' is already used by "
                        + previous.source() + "; this file is left out"));
            }
        }
        return new LabRepository(Collections.unmodifiableMap(labs), List.copyOf(problems));
    }

    public Map<String, Lab> labs() { return labs; }

    public List<Problem> problems() { return problems; }

    public Lab get(String id) { return labs.get(id); }
}
