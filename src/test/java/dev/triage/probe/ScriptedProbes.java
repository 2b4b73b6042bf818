package dev.triage.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.scenario.TestNode;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A probe registry for tests of a whole tree without Docker or a host: every test is answered from
 * a table, by test id, with an outcome and evidence fields (insights-core's {@code InputData} is the
 * model). The evidence is built as the real probe's typed record, so a misspelt field fails, and the
 * outcome must be one the real probe declares. Tests that only compute from earlier evidence
 * (a switch, an evidence check, a version comparison) run their real probe unless the table answers
 * them. What went wrong (a test reached without an answer, an undeclared outcome) is collected in
 * {@link #problems()}: the engine turns a failing probe into "inconclusive", which a test must not
 * mistake for a verdict.
 */
public final class ScriptedProbes extends ProbeRegistry {
    /** Kinds that read no system, only their params: they run for real. */
    public static final Set<String> COMPUTED = Set.of("outcome-of", "evidence-check", "version-compare");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One test's scripted result. */
    public record Answer(String outcome, Map<String, Object> evidence, List<String> warnings) {
        public Answer {
            evidence = evidence == null ? Map.of() : evidence;
            warnings = warnings == null ? List.of() : warnings;
        }
    }

    private final ProbeRegistry real = ProbeRegistry.standard();
    private final Map<String, Answer> answers;
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    public ScriptedProbes(Map<String, Answer> answers) {
        this.answers = Map.copyOf(answers);
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    @Override
    public Optional<Probe<?>> forTest(TestNode test) {
        Probe<?> probe = real.get(test.probe()).orElse(null);
        if (probe == null) {
            problems.add("test '" + test.id() + "': unknown probe kind " + test.probe());
            return Optional.empty();
        }
        Answer answer = answers.get(test.id());
        if (answer == null) {
            if (COMPUTED.contains(test.probe())) {
                return Optional.of(probe);
            }
            problems.add("test '" + test.id() + "' was reached but the table has no answer for it");
            return Optional.empty();
        }
        ProbeSpec<?> spec = probe.spec();
        if (!spec.outcomes().isEmpty() && !spec.outcomes().contains(answer.outcome())) {
            problems.add("test '" + test.id() + "': probe " + spec.kind() + " never ends in '" + answer.outcome()
                    + "' (it declares " + new java.util.TreeSet<>(spec.outcomes()) + ")");
        }
        try {
            return Optional.of(scripted(probe, answer));
        } catch (IllegalArgumentException e) {
            problems.add("test '" + test.id() + "': evidence does not fit " + spec.evidenceType().getSimpleName()
                    + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A probe's evidence from its JSON fields, as a report shows them. Read here, part by part:
     * Jackson (before 2.19) cannot build a record whose part is {@code @JsonUnwrapped}.
     */
    static <E extends Record> E evidence(Map<String, Object> fields, Class<E> type) {
        Set<String> used = new java.util.HashSet<>();
        E evidence = read(fields, type, used);
        Set<String> unknown = new java.util.TreeSet<>(fields.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no field " + unknown + " (it has " + used + ")");
        }
        return evidence;
    }

    private static <R> R read(Map<String, Object> fields, Class<R> type, Set<String> used) {
        RecordComponent[] parts = type.getRecordComponents();
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            RecordComponent part = parts[i];
            types[i] = part.getType();
            if (ProbeSpec.unwrapped(part)) {
                values[i] = read(fields, part.getType(), used);
                continue;
            }
            used.add(part.getName());
            Object value = MAPPER.convertValue(fields.get(part.getName()), MAPPER.constructType(part.getGenericType()));
            values[i] = value != null || !types[i].isPrimitive() ? value
                    : types[i] == boolean.class ? (Object) false : types[i] == long.class ? (Object) 0L : (Object) 0;
        }
        try {
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot build " + type.getSimpleName() + ": " + e, e);
        }
    }

    private static <E extends Record> Probe<E> scripted(Probe<E> probe, Answer answer) {
        E evidence = evidence(answer.evidence(), probe.spec().evidenceType());
        return new Probe<>() {
            @Override public ProbeSpec<E> spec() { return probe.spec(); }

            @Override
            public ProbeResult<E> run(ProbeParams params, ProbeContext context) {
                return new ProbeResult<>(answer.outcome(), evidence, "scripted: " + answer.outcome(), answer.warnings());
            }
        };
    }
}
