package dev.triage.scenario;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one YAML file into a {@link Scenario}, collecting every problem with its line instead of
 * stopping at the first. Structure across nodes (references, cycles, probe kinds) is checked by
 * {@link ScenarioValidator}.
 */
public final class ScenarioParser {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)");
    private static final Set<String> TOP_KEYS = Set.of("id", "title", "symptom", "incident", "references",
            "inputs", "start", "tests", "verdicts", "fixes", "words");
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(120);

    private final String file;
    private final List<Problem> problems;

    private ScenarioParser(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** Result of parsing: the scenario when it could be built, and every problem found. */
    public record Parsed(Scenario scenario, List<Problem> problems) {
        public boolean ok() { return scenario != null && problems.isEmpty(); }
    }

    public static Parsed parse(String file, String text) {
        try (Reader reader = new StringReader(text)) {
            return parse(file, reader);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringReader does not fail
        }
    }

    public static Parsed parse(String file, Reader reader) {
        List<Problem> problems = new ArrayList<>();
        YamlNode root;
        try {
            root = YamlNode.parse(reader, file, problems);
        } catch (YamlNode.TooLargeException e) {
            problems.add(new Problem(file, 1, e.getMessage()));
            return new Parsed(null, problems);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            problems.add(new Problem(file, line, "not valid YAML: " + e.getProblem()));
            return new Parsed(null, problems);
        } catch (RuntimeException e) {
            problems.add(new Problem(file, 1, "not valid YAML: " + e.getMessage()));
            return new Parsed(null, problems);
        }
        if (!root.isMap()) {
            problems.add(new Problem(file, root.line(), "a scenario file must be a mapping (id:, title:, tests: ...)"));
            return new Parsed(null, problems);
        }
        if (root.entries().keySet().stream().noneMatch(TOP_KEYS::contains)) {
            // not a scenario at all (a link to /etc/shadow, a compose file): nothing of it is repeated
            problems.add(new Problem(file, root.line(), "not a scenario file: it has none of the keys "
                    + sorted(TOP_KEYS) + " at the top level"));
            return new Parsed(null, problems);
        }
        Scenario scenario = new ScenarioParser(file, problems).scenario(root);
        return new Parsed(scenario, problems);
    }

    private Scenario scenario(YamlNode root) {
        for (String key : root.entries().keySet()) {
            if (!TOP_KEYS.contains(key)) {
                problem(root.keyLine(key), "unknown key " + shown(key) + " (expected one of " + sorted(TOP_KEYS) + ")");
            }
        }
        String id = id(root, "id");
        String title = text(root, "title", true);
        String symptom = text(root, "symptom", true);
        Scenario.Incident incident = null;
        YamlNode inc = root.get("incident");
        if (inc == null) {
            problem(root.line(), "missing 'incident' (which incident this tree comes from)");
        } else if (!inc.isMap()) {
            problem(inc.line(), "'incident' must be a mapping with id, file, summary");
        } else {
            incident = new Scenario.Incident(text(inc, "id", true), text(inc, "file", false), text(inc, "summary", false),
                    text(inc, "name", false));
        }
        List<String> references = strings(root, "references");
        List<InputSpec> inputs = inputs(root.get("inputs"));
        String start = id(root, "start");
        Map<String, TestNode> tests = tests(root.get("tests"));
        Map<String, Verdict> verdicts = verdicts(root.get("verdicts"));
        Map<String, FixSpec> fixes = fixes(root.get("fixes"));
        Map<String, Integer> wordsLines = new LinkedHashMap<>();
        return new Scenario(id, title, symptom, incident, references, inputs, start, tests, verdicts, fixes, file,
                words(root.get("words"), wordsLines), wordsLines);
    }

    private List<InputSpec> inputs(YamlNode node) {
        List<InputSpec> inputs = new ArrayList<>();
        if (node == null) {
            return inputs;
        }
        if (!node.isList()) {
            problem(node.line(), "'inputs' must be a list");
            return inputs;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (YamlNode item : node.items()) {
            if (!item.isMap()) {
                problem(item.line(), "an input must be a mapping with name, prompt, default...");
                continue;
            }
            allowKeys(item, "name", "prompt", "help", "default", "required", "pattern", "pattern-hint", "requires", "type");
            String name = id(item, "name");
            if (name != null && !seen.add(name)) {
                problem(item.line(), "duplicate input '" + name + "'");
            }
            Pattern pattern = null;
            String regex = text(item, "pattern", false);
            if (regex != null) {
                try {
                    pattern = Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    problem(item.get("pattern").line(), "pattern is not a valid regular expression: " + e.getDescription());
                }
            }
            String type = text(item, "type", false);
            if (type != null && !InputSpec.TYPES.contains(type)) {
                problem(item.get("type").line(), "unknown input type '" + type + "' (known: " + String.join(", ", InputSpec.TYPES) + ")");
                type = null;
            }
            String hint = text(item, "pattern-hint", false);
            if (InputSpec.HOST_PORT.equals(type) && hint == null) {
                hint = dev.triage.probe.HostPort.HINT;
            }
            String def = text(item, "default", false);
            InputSpec spec = new InputSpec(name, text(item, "prompt", true), text(item, "help", false),
                    def == null ? "" : def, bool(item, "required"), pattern, hint, strings(item, "requires"), type);
            if (!def(def) && spec.check(def) != null) {
                problem(item.get("default").line(), "default does not pass its own check: " + spec.check(def));
            }
            inputs.add(spec);
        }
        return inputs;
    }

    private static boolean def(String value) {
        return value == null || value.isEmpty();
    }

    private Map<String, TestNode> tests(YamlNode node) {
        Map<String, TestNode> tests = new LinkedHashMap<>();
        for (YamlNode item : listOf(node, "tests")) {
            allowKeys(item, "id", "title", "probe", "switch", "params", "timeout", "next", "prefetch", "explain", "manual");
            String id = id(item, "id");
            Map<String, String> next = new LinkedHashMap<>();
            YamlNode nextNode = item.get("next");
            if (nextNode == null || !nextNode.isMap()) {
                problem(item.line(), "test '" + id + "' needs 'next': a mapping from each outcome to a test or verdict");
            } else {
                nextNode.entries().forEach((outcome, target) -> {
                    if (!target.isScalar()) {
                        problem(target.line(), "next." + outcome + " must name a test or verdict");
                    } else {
                        next.put(outcome, target.scalar());
                    }
                });
            }
            TestNode test;
            String switched = text(item, "switch", false);
            if (switched != null) {
                // a decision on an earlier test's outcome: no probe of its own, nothing to wait for
                if (item.get("probe") != null || item.get("params") != null || bool(item, "prefetch")) {
                    problem(item.line(), "test '" + id + "': a 'switch' node takes no probe, params or prefetch");
                }
                test = new TestNode(id, text(item, "title", true), TestNode.SWITCH_PROBE,
                        Map.of("test", switched, "value", "${" + switched + ".outcome}"),
                        item.get("timeout") == null ? Duration.ofSeconds(1) : duration(item), next, false,
                        text(item, "explain", false), manual(item), item.line());
            } else {
                test = new TestNode(id, text(item, "title", true), text(item, "probe", true),
                        params(item.get("params")), duration(item), next, bool(item, "prefetch"),
                        text(item, "explain", false), manual(item), item.line());
            }
            if (id != null && tests.putIfAbsent(id, test) != null) {
                problem(item.line(), "duplicate test id '" + id + "'");
            }
        }
        return tests;
    }

    private Map<String, Verdict> verdicts(YamlNode node) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (YamlNode item : listOf(node, "verdicts")) {
            allowKeys(item, "id", "title", "healthy", "inconclusive", "severity", "explanation", "evidence", "references", "fixes");
            String id = id(item, "id");
            Verdict.Severity severity = Verdict.Severity.WARNING;
            String sev = text(item, "severity", false);
            if (sev != null) {
                try {
                    severity = Verdict.Severity.valueOf(sev.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problem(item.get("severity").line(), "severity must be info, warning or critical");
                }
            }
            if (bool(item, "healthy") && bool(item, "inconclusive")) {
                problem(item.line(), "verdict '" + id + "' cannot be both healthy and inconclusive");
            }
            Verdict verdict = new Verdict(id, text(item, "title", true), bool(item, "healthy"), bool(item, "inconclusive"), severity,
                    text(item, "explanation", true), strings(item, "evidence"), strings(item, "references"),
                    strings(item, "fixes"), item.line());
            if (id != null && verdicts.putIfAbsent(id, verdict) != null) {
                problem(item.line(), "duplicate verdict id '" + id + "'");
            }
        }
        return verdicts;
    }

    /**
     * {@code words:}: each key one or more {@code TEST.FIELD} references (comma-separated, for tests
     * whose values read alike), each value a mapping from a value to its words.
     */
    private Map<String, Map<String, String>> words(YamlNode node, Map<String, Integer> lines) {
        Map<String, Map<String, String>> words = new LinkedHashMap<>();
        if (node == null) {
            return words;
        }
        if (!node.isMap()) {
            problem(node.line(), "'words' must map TEST.FIELD to a mapping from each value to its words");
            return words;
        }
        for (var e : node.entries().entrySet()) {
            YamlNode table = e.getValue();
            if (!table.isMap()) {
                problem(table.line(), "words for " + shown(e.getKey()) + " must map each value to its words");
                continue;
            }
            Map<String, String> said = new LinkedHashMap<>();
            table.entries().forEach((value, w) -> {
                if (!w.isScalar() || w.scalar().isBlank()) {
                    problem(w.line(), "words for " + shown(e.getKey()) + ": value " + shown(value) + " needs words");
                } else {
                    said.put(value, w.scalar().strip());
                }
            });
            for (String ref : e.getKey().split(",")) {
                lines.putIfAbsent(ref.strip(), node.keyLine(e.getKey()));
                if (words.putIfAbsent(ref.strip(), said) != null) {
                    problem(node.keyLine(e.getKey()), "words for " + shown(ref.strip()) + " are declared twice");
                }
            }
        }
        return words;
    }

    /** A mapping of plain values (input name to placeholder text); problems on its lines. */
    private Map<String, String> stringMap(YamlNode item, String key) {
        Map<String, String> map = new LinkedHashMap<>();
        YamlNode node = item.get(key);
        if (node == null) {
            return map;
        }
        if (!node.isMap()) {
            problem(node.line(), "'" + key + "' must be a mapping");
            return map;
        }
        node.entries().forEach((k, v) -> {
            if (v.isScalar()) {
                map.put(k, v.scalar());
            } else {
                problem(v.line(), key + "." + k + " must be a plain value");
            }
        });
        return map;
    }

    private Map<String, FixSpec> fixes(YamlNode node) {
        Map<String, FixSpec> fixes = new LinkedHashMap<>();
        if (node == null) {
            return fixes;
        }
        for (YamlNode item : listOf(node, "fixes")) {
            allowKeys(item, "id", "title", "description", "warning", "when", "needs", "actions", "verify", "then", "suggest");
            String id = id(item, "id");
            Map<String, String> when = new LinkedHashMap<>();
            YamlNode whenNode = item.get("when");
            if (whenNode != null) {
                if (!whenNode.isMap()) {
                    problem(whenNode.line(), "'when' must map test.field to the value it must have");
                } else {
                    whenNode.entries().forEach((k, v) -> when.put(k, v.isScalar() ? v.scalar() : ""));
                }
            }
            List<FixSpec.ActionSpec> actions = new ArrayList<>();
            for (YamlNode action : listOf(item.get("actions"), "actions")) {
                String kind = text(action, "kind", true);
                Map<String, Object> params = new LinkedHashMap<>();
                action.entries().forEach((k, v) -> {
                    if (!k.equals("kind")) {
                        params.put(k, value(v));
                    }
                });
                actions.add(new FixSpec.ActionSpec(kind, params, action.line()));
            }
            if (actions.isEmpty()) {
                problem(item.line(), "fix '" + id + "' has no actions");
            }
            FixSpec.VerifySpec verify = null;
            YamlNode v = item.get("verify");
            if (v == null) {
                problem(item.line(), "fix '" + id + "' must say how it is verified ('verify: {test: ..., expect: [...]}' or 'verify: manual')");
            } else if (v.isScalar() && "manual".equals(v.scalar())) {
                verify = null;
            } else if (v.isMap()) {
                allowKeys(v, "test", "expect", "within");
                verify = new FixSpec.VerifySpec(text(v, "test", true), strings(v, "expect"),
                        duration(v, "within", MAX_VERIFY_WAIT, Duration.ZERO));
                if (verify.expect().isEmpty()) {
                    problem(v.line(), "verify.expect must list the outcomes that mean the fix worked");
                }
            } else {
                problem(v.line(), "verify must be a mapping or 'manual'");
            }
            FixSpec fix = new FixSpec(id, text(item, "title", true), text(item, "description", false),
                    text(item, "warning", false), when, strings(item, "needs"), actions, verify, text(item, "then", false),
                    stringMap(item, "suggest"), item.line());
            if (id != null && fixes.putIfAbsent(id, fix) != null) {
                problem(item.line(), "duplicate fix id '" + id + "'");
            }
        }
        return fixes;
    }

    private Map<String, Object> params(YamlNode node) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (node == null) {
            return params;
        }
        if (!node.isMap()) {
            problem(node.line(), "'params' must be a mapping");
            return params;
        }
        node.entries().forEach((k, v) -> params.put(k, value(v)));
        return params;
    }

    private Object value(YamlNode v) {
        return switch (v.type()) {
            case SCALAR -> v.scalar();
            case NULL -> "";
            case LIST -> {
                List<String> out = new ArrayList<>();
                for (YamlNode item : v.items()) {
                    if (item.isScalar()) {
                        out.add(item.scalar());
                    } else {
                        problem(item.line(), "list items must be plain values");
                    }
                }
                yield out;
            }
            case MAP -> {
                problem(v.line(), "nested mappings are not allowed here");
                yield "";
            }
        };
    }

    /** A restarted service may need this long before it answers again. */
    private static final Duration MAX_VERIFY_WAIT = Duration.ofMinutes(3);

    private Duration duration(YamlNode item) {
        if (text(item, "timeout", false) == null) {
            problem(item.line(), "every test needs a 'timeout' (e.g. 5s): no probe may hang");
            return Duration.ofSeconds(5);
        }
        return duration(item, "timeout", MAX_TIMEOUT, Duration.ofSeconds(5));
    }

    /** An optional duration such as 500ms or 5s under {@code key}, at most {@code max}. */
    private Duration duration(YamlNode item, String key, Duration max, Duration fallback) {
        String raw = text(item, key, false);
        if (raw == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(raw.trim());
        if (!m.matches()) {
            problem(item.get(key).line(), key + " must look like 500ms or 5s, not '" + raw + "'");
            return fallback;
        }
        double amount = Double.parseDouble(m.group(1));
        Duration d = m.group(2).equals("ms") ? Duration.ofMillis((long) amount) : Duration.ofMillis((long) (amount * 1000));
        if (d.isZero() || d.compareTo(max) > 0) {
            problem(item.get(key).line(), key + " must be between 1ms and " + max.toSeconds() + "s");
        }
        return d;
    }

    private List<YamlNode> listOf(YamlNode node, String what) {
        if (node == null) {
            problem(1, "missing '" + what + "'");
            return List.of();
        }
        if (!node.isList()) {
            problem(node.line(), "'" + what + "' must be a list");
            return List.of();
        }
        List<YamlNode> maps = new ArrayList<>();
        for (YamlNode item : node.items()) {
            if (item.isMap()) {
                maps.add(item);
            } else {
                problem(item.line(), "each entry of '" + what + "' must be a mapping");
            }
        }
        return maps;
    }

    private void allowKeys(YamlNode map, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String key : map.entries().keySet()) {
            if (!ok.contains(key)) {
                problem(map.keyLine(key), "unknown key " + shown(key) + " (expected one of " + sorted(ok) + ")");
            }
        }
    }

    private String id(YamlNode map, String key) {
        String value = text(map, key, true);
        if (value != null && !ID.matcher(value).matches()) {
            problem(map.get(key).line(), key + " '" + value + "' must be lower-case letters, digits, '-' or '_'");
        }
        return value;
    }

    private String text(YamlNode map, String key, boolean required) {
        YamlNode v = map.get(key);
        if (v == null || v.type() == YamlNode.Type.NULL) {
            if (required) {
                problem(map.line(), "missing '" + key + "'");
            }
            return null;
        }
        if (!v.isScalar()) {
            problem(v.line(), "'" + key + "' must be a plain value");
            return null;
        }
        return v.scalar();
    }

    private boolean bool(YamlNode map, String key) {
        String v = text(map, key, false);
        if (v == null) {
            return false;
        }
        if (!v.equals("true") && !v.equals("false")) {
            problem(map.get(key).line(), "'" + key + "' must be true or false");
        }
        return v.equals("true");
    }

    /** By-hand commands: each a string, or {run: ..., if-set: REF} / {run: ..., if-unset: REF}. */
    private List<TestNode.Manual> manual(YamlNode item) {
        YamlNode v = item.get("manual");
        if (v == null) {
            return List.of();
        }
        if (!v.isList()) {
            problem(v.line(), "'manual' must be a list");
            return List.of();
        }
        List<TestNode.Manual> out = new ArrayList<>();
        for (YamlNode m : v.items()) {
            if (m.isScalar()) {
                out.add(TestNode.Manual.of(m.scalar()));
            } else if (m.isMap()) {
                allowKeys(m, "run", "if-set", "if-unset");
                String run = text(m, "run", true);
                String ifSet = text(m, "if-set", false);
                String ifUnset = text(m, "if-unset", false);
                if (ifSet != null && ifUnset != null) {
                    problem(m.line(), "a by-hand command takes 'if-set' or 'if-unset', not both");
                }
                out.add(new TestNode.Manual(run, ifSet, ifUnset));
            } else {
                problem(m.line(), "a by-hand command is a string or {run: ..., if-set: REF}");
            }
        }
        return out;
    }

    private List<String> strings(YamlNode map, String key) {
        YamlNode v = map.get(key);
        if (v == null) {
            return List.of();
        }
        Object value = value(v);
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        problem(v.line(), "'" + key + "' must be a list");
        return List.of();
    }

    /** A key as it may be repeated: a short word is, anything else (a line of another file) is not. */
    private static String shown(String key) {
        return key.matches("[A-Za-z0-9_.-]{1,40}") ? "'" + key + "'" : "(not a word; not repeated here)";
    }

    private void problem(int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new java.util.TreeSet<>(keys));
    }
}
