package dev.triage.lab;

import dev.triage.scenario.Problem;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioRepository;
import dev.triage.scenario.YamlNode;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one lab file through the scenarios' {@link YamlNode} (so every problem has its line) and
 * checks it against the scenario it breaks: the verdict, the fixes and the inputs must exist
 * there, and every {@code ${step.value}} must name an earlier step and a value that kind offers.
 */
public final class LabParser {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9_-]+)\\.([a-z0-9_-]+)}");
    private static final Set<String> TOP_KEYS = Set.of("id", "title", "incident", "scenario", "verdict", "difficulty",
            "symptom", "needs", "sandbox", "inputs", "hints", "fix");
    private static final Set<String> DIFFICULTIES = Set.of("easy", "medium", "hard");

    private final String file;
    private final List<Problem> problems = new ArrayList<>();

    private LabParser(String file) {
        this.file = file;
    }

    public record Parsed(Lab lab, List<Problem> problems) { }

    public static Parsed parse(String file, String text, ScenarioRepository scenarios) {
        LabParser p = new LabParser(file);
        YamlNode root;
        try {
            root = YamlNode.parse(new StringReader(text), file, p.problems);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            p.problem(line, "not valid YAML: " + e.getProblem());
            return new Parsed(null, p.problems);
        } catch (RuntimeException e) {
            p.problem(1, "not valid YAML: " + e.getMessage());
            return new Parsed(null, p.problems);
        }
        if (!root.isMap()) {
            p.problem(root.line(), "a lab file must be a mapping (id:, scenario:, sandbox: ...)");
            return new Parsed(null, p.problems);
        }
        Lab lab = p.lab(root, scenarios);
        return new Parsed(p.problems.isEmpty() ? lab : null, p.problems);
    }

    private Lab lab(YamlNode root, ScenarioRepository scenarios) {
        for (String key : root.entries().keySet()) {
            if (!TOP_KEYS.contains(key)) {
                problem(root.keyLine(key), "unknown key '" + key + "' (expected one of " + new TreeSet<>(TOP_KEYS) + ")");
            }
        }
        String id = text(root, "id");
        if (id != null && !ID.matcher(id).matches()) {
            problem(root.keyLine("id"), "id '" + id + "' must be lower-case letters, digits, - and _");
        }
        String title = text(root, "title");
        String incident = text(root, "incident");
        if (incident != null && !incident.matches("\\d{3}")) {
            problem(root.keyLine("incident"), "incident must be the incident's three digits, in quotes (\"000\")");
        }
        String scenarioId = text(root, "scenario");
        Scenario scenario = scenarioId == null ? null : scenarios.get(scenarioId);
        if (scenarioId != null && scenario == null) {
            problem(root.keyLine("scenario"), "unknown scenario '" + scenarioId + "' (known: "
                    + String.join(", ", scenarios.scenarios().keySet()) + ")");
        }
        String verdict = text(root, "verdict");
        if (scenario != null && verdict != null) {
            if (!scenario.verdicts().containsKey(verdict)) {
                problem(root.keyLine("verdict"), "scenario " + scenarioId + " has no verdict '" + verdict + "'");
            } else if (scenario.verdicts().get(verdict).healthy()) {
                problem(root.keyLine("verdict"), "a lab's verdict must be a fault, not the healthy verdict");
            }
        }
        String difficulty = text(root, "difficulty");
        if (difficulty != null && !DIFFICULTIES.contains(difficulty)) {
            problem(root.keyLine("difficulty"), "difficulty must be easy, medium or hard");
        }
        String symptom = text(root, "symptom");
        List<Lab.Need> needs = new ArrayList<>();
        for (YamlNode n : list(root, "needs", false)) {
            Lab.Need need = n.isScalar() ? Lab.Need.of(n.scalar()) : null;
            if (need == null) {
                problem(n.line(), "unknown need '" + n.scalar() + "' (known: " + String.join(", ",
                        java.util.Arrays.stream(Lab.Need.values()).map(Lab.Need::id).toList()) + ")");
            } else {
                needs.add(need);
            }
        }
        Map<String, StepKind> known = new HashMap<>();
        List<Lab.Step> steps = new ArrayList<>();
        for (YamlNode s : list(root, "sandbox", true)) {
            Lab.Step step = step(s, known);
            if (step != null) {
                steps.add(step);
                known.put(step.name(), step.kind());
            }
        }
        Map<String, String> inputs = new LinkedHashMap<>();
        YamlNode in = root.get("inputs");
        if (in == null || !in.isMap()) {
            problem(in == null ? root.line() : in.line(), "'inputs' must map the scenario's inputs to values (network: ${net.name})");
        } else {
            for (Map.Entry<String, YamlNode> e : in.entries().entrySet()) {
                int line = in.keyLine(e.getKey());
                if (!e.getValue().isScalar()) {
                    problem(line, "input '" + e.getKey() + "' must be a text");
                    continue;
                }
                if (scenario != null && scenario.input(e.getKey()).isEmpty()) {
                    problem(line, "scenario " + scenarioId + " has no input '" + e.getKey() + "'");
                }
                placeholders(e.getValue().scalar(), line, known);
                inputs.put(e.getKey(), e.getValue().scalar());
            }
        }
        List<String> hints = new ArrayList<>();
        for (YamlNode h : list(root, "hints", true)) {
            if (!h.isScalar() || h.scalar().isBlank()) {
                problem(h.line(), "a hint must be a text");
            } else if (h.scalar().toLowerCase(Locale.ROOT).contains("write-up")) {
                // trainees never see the incident files: the same rule as for scenarios' texts
                problem(h.line(), "a hint says \"the write-up\": name the incident instead (\"incident 000\")");
            } else {
                hints.add(h.scalar().strip());
            }
        }
        if (root.get("hints") != null && hints.size() < 3) {
            problem(root.keyLine("hints"), "give at least 3 hints: what to look at, which test, which command");
        }
        List<String> fixes = new ArrayList<>();
        for (YamlNode f : list(root, "fix", true)) {
            String fix = f.isScalar() ? f.scalar() : null;
            if (fix == null) {
                problem(f.line(), "a fix is the id of one of the scenario's fixes");
            } else if (scenario != null && !scenario.fixes().containsKey(fix)) {
                problem(f.line(), "scenario " + scenarioId + " has no fix '" + fix + "'");
            } else {
                fixes.add(fix);
            }
        }
        if (scenario != null && verdict != null && !fixes.isEmpty() && scenario.verdicts().containsKey(verdict)
                && !scenario.verdicts().get(verdict).healthy() && !scenario.verdicts().get(verdict).fixes().contains(fixes.get(0))) {
            problem(root.keyLine("fix"), "the first fix must be one the verdict '" + verdict + "' offers ("
                    + String.join(", ", scenario.verdicts().get(verdict).fixes()) + ")");
        }
        return new Lab(id, title, incident, scenarioId, verdict, difficulty, symptom, List.copyOf(needs), List.copyOf(steps),
                inputs, List.copyOf(hints), List.copyOf(fixes), file);
    }

    private Lab.Step step(YamlNode s, Map<String, StepKind> known) {
        if (!s.isMap() || s.entries().isEmpty()) {
            problem(s.line(), "a sandbox step is a mapping: its kind with a name (network: net), then its settings");
            return null;
        }
        // the first key is the kind (a container's "network:" setting is not a network step)
        String first = s.entries().keySet().iterator().next();
        StepKind kind = StepKind.of(first);
        String name = kind != null && s.get(first).isScalar() ? s.get(first).scalar() : null;
        if (kind == null) {
            problem(s.line(), "a step must start with its kind (" + String.join(", ",
                    java.util.Arrays.stream(StepKind.values()).map(StepKind::key).toList()) + ")");
            return null;
        }
        if (name == null || !ID.matcher(name).matches()) {
            problem(s.keyLine(kind.key()), "the step needs a name of lower-case letters, digits and - (" + kind.key() + ": net)");
            return null;
        }
        if (known.containsKey(name)) {
            problem(s.keyLine(kind.key()), "duplicate step name '" + name + "'");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : s.entries().entrySet()) {
            String key = e.getKey();
            if (key.equals(kind.key())) {
                continue;
            }
            if (!kind.required().contains(key) && !kind.optional().contains(key)) {
                problem(s.keyLine(key), "unknown setting '" + key + "' for " + kind.key() + " (it takes: "
                        + new TreeSet<>(union(kind.required(), kind.optional())) + ")");
                continue;
            }
            Object value = plain(e.getValue());
            if (value == null) {
                problem(s.keyLine(key), "'" + key + "' must be a text, a list or a mapping of texts");
                continue;
            }
            checkPlaceholders(value, s.keyLine(key), known);
            params.put(key, value);
        }
        for (String req : kind.required()) {
            if (!params.containsKey(req)) {
                problem(s.keyLine(kind.key()), kind.key() + " '" + name + "' needs '" + req + "'");
            }
        }
        if (kind == StepKind.CONTAINER && !params.containsKey("image") && !params.containsKey("compose")) {
            problem(s.keyLine(kind.key()), "container '" + name + "' needs 'image', or 'compose' and 'service'");
        }
        if (kind == StepKind.CONTAINER && params.containsKey("compose") != params.containsKey("service")) {
            problem(s.keyLine(kind.key()), "container '" + name + "': 'compose' and 'service' go together");
        }
        Object state = params.get("state");
        if (state != null && !Set.of("running", "paused", "created").contains(state)) {
            problem(s.keyLine("state"), "state must be running, paused or created");
        }
        return new Lab.Step(kind, name, params, s.line());
    }

    private void checkPlaceholders(Object value, int line, Map<String, StepKind> known) {
        if (value instanceof String text) {
            placeholders(text, line, known);
        } else if (value instanceof List<?> l) {
            l.forEach(v -> checkPlaceholders(v, line, known));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> checkPlaceholders(v, line, known));
        }
    }

    private void placeholders(String text, int line, Map<String, StepKind> known) {
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            StepKind kind = known.get(m.group(1));
            if (kind == null) {
                problem(line, "${" + m.group(1) + "." + m.group(2) + "}: no earlier step is named '" + m.group(1) + "'");
            } else if (!kind.outputs().contains(m.group(2))) {
                problem(line, "${" + m.group(1) + "." + m.group(2) + "}: a " + kind.key() + " step offers "
                        + String.join(", ", kind.outputs()));
            }
        }
        if (text.replaceAll(PLACEHOLDER.pattern(), "").contains("${")) {
            problem(line, "a placeholder is ${step.value}, with a step name and a value name");
        }
    }

    /** Texts, lists of texts or of mappings, mappings of texts: what a step's settings may be. */
    private static Object plain(YamlNode n) {
        if (n.isScalar()) {
            return n.scalar();
        }
        if (n.isList()) {
            List<Object> out = new ArrayList<>();
            for (YamlNode i : n.items()) {
                Object v = i.isMap() ? plain(i) : i.isScalar() ? i.scalar() : null;
                if (v == null) {
                    return null;
                }
                out.add(v);
            }
            return out;
        }
        if (n.isMap()) {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, YamlNode> e : n.entries().entrySet()) {
                if (!e.getValue().isScalar()) {
                    return null;
                }
                out.put(e.getKey(), e.getValue().scalar());
            }
            return out;
        }
        return null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private String text(YamlNode map, String key) {
        YamlNode v = map.get(key);
        if (v == null) {
            problem(map.line(), "missing '" + key + "'");
            return null;
        }
        if (!v.isScalar() || v.scalar().isBlank()) {
            problem(map.keyLine(key), "'" + key + "' must be a text");
            return null;
        }
        return v.scalar().strip();
    }

    private List<YamlNode> list(YamlNode map, String key, boolean required) {
        YamlNode v = map.get(key);
        if (v == null) {
            if (required) {
                problem(map.line(), "missing '" + key + "'");
            }
            return List.of();
        }
        if (!v.isList() || v.items().isEmpty()) {
            problem(map.keyLine(key), "'" + key + "' must be a list with at least one item");
            return List.of();
        }
        return v.items();
    }

    private void problem(int line, String message) {
        problems.add(new Problem(file, line, message));
    }
}
