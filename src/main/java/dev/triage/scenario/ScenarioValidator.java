package dev.triage.scenario;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a parsed scenario as a tree: every reference resolves, every outcome of every probe leads
 * somewhere, every node is reachable, there are no cycles, every leaf is a verdict, and every probe
 * and action kind exists with the parameters it takes.
 */
public final class ScenarioValidator {
    /** Outcome every probe can end in when it cannot run (error, time limit); mapping it is optional. */
    public static final String INCONCLUSIVE = dev.triage.probe.ProbeResult.INCONCLUSIVE;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private final KindCatalog catalog;

    public ScenarioValidator(KindCatalog catalog) {
        this.catalog = catalog;
    }

    public List<Problem> validate(Scenario s) {
        List<Problem> problems = new ArrayList<>();
        String file = s.source();
        Set<String> inputs = new HashSet<>();
        s.inputs().forEach(i -> inputs.add(i.name()));

        for (InputSpec in : s.inputs()) {
            for (String r : in.requires()) {
                if (!inputs.contains(r)) {
                    problems.add(new Problem(file, 1, "input '" + in.name() + "' requires unknown input '" + r + "'"));
                }
            }
        }
        for (TestNode t : s.tests().values()) {
            if (s.verdicts().containsKey(t.id())) {
                problems.add(new Problem(file, t.line(), "id '" + t.id() + "' is used by a test and a verdict"));
            }
        }
        if (s.start() != null && !s.tests().containsKey(s.start())) {
            problems.add(new Problem(file, 1, "start '" + s.start() + "' is not a test"));
        }

        for (TestNode t : s.tests().values()) {
            var kind = t.probe() == null ? null : kindOf(s, t, problems);
            if (t.probe() != null && kind == null) {
                problems.add(new Problem(file, t.line(), "test '" + t.id() + "': unknown probe kind '" + t.probe()
                        + "' (known: " + String.join(", ", new java.util.TreeSet<>(catalog.probeKinds())) + ")"));
            }
            for (Map.Entry<String, String> e : t.next().entrySet()) {
                String target = e.getValue();
                if (!s.tests().containsKey(target) && !s.verdicts().containsKey(target)) {
                    problems.add(new Problem(file, t.line(), "test '" + t.id() + "': next." + e.getKey()
                            + " -> '" + target + "' is neither a test nor a verdict"));
                }
                if (kind != null && !e.getKey().equals("*") && !e.getKey().equals(INCONCLUSIVE)
                        && !kind.outcomes().contains(e.getKey())) {
                    problems.add(new Problem(file, t.line(), "test '" + t.id() + "': probe '" + t.probe()
                            + "' has no outcome '" + e.getKey() + "' (it has: " + String.join(", ", kind.outcomes()) + ")"));
                }
            }
            if (kind != null && !t.next().containsKey("*")) {
                for (String outcome : kind.outcomes()) {
                    if (!t.next().containsKey(outcome)) {
                        problems.add(new Problem(file, t.line(), "test '" + t.id() + "': outcome '" + outcome
                                + "' leads nowhere (map it, or add '*')"));
                    }
                }
            }
            if (kind != null) {
                for (String p : kind.requiredParams()) {
                    if (!t.params().containsKey(p)) {
                        problems.add(new Problem(file, t.line(), "test '" + t.id() + "': missing param '" + p + "'"));
                    }
                }
                for (String p : t.params().keySet()) {
                    if (!kind.requiredParams().contains(p) && !kind.optionalParams().contains(p)) {
                        problems.add(new Problem(file, t.line(), "test '" + t.id() + "': probe '" + t.probe()
                                + "' takes no param '" + p + "'"));
                    }
                }
            }
            checkPlaceholders(s, file, t.line(), t.params(), inputs, problems);
            for (TestNode.Manual m : t.manual()) {
                checkPlaceholders(s, file, t.line(), Map.of("manual", m.run() == null ? "" : m.run()), inputs, problems);
                for (String ref : java.util.Arrays.asList(m.ifSet(), m.ifUnset())) {
                    if (ref != null) {
                        checkReference(s, file, t.line(), ref, inputs, problems);
                    }
                }
                Matcher guess = GUESSED_VALUE.matcher(m.run() == null ? "" : m.run());
                if (guess.find()) {
                    problems.add(new Problem(file, t.line(), "test '" + t.id() + "': the by-hand command '" + m.run() + "' leaves "
                            + guess.group() + " to guess; use this run's value (${input.NAME} or ${TEST.FIELD})"));
                }
            }
        }
        wording(s, file, problems);
        valuesInWords(s, file, inputs, problems);

        for (Verdict v : s.verdicts().values()) {
            for (String ev : v.evidence()) {
                if (!s.tests().containsKey(ev)) {
                    problems.add(new Problem(file, v.line(), "verdict '" + v.id() + "': evidence '" + ev + "' is not a test"));
                }
            }
            for (String fix : v.fixes()) {
                if (!s.fixes().containsKey(fix)) {
                    problems.add(new Problem(file, v.line(), "verdict '" + v.id() + "': fix '" + fix + "' is not defined"));
                }
            }
            if (v.healthy() && !v.fixes().isEmpty()) {
                problems.add(new Problem(file, v.line(), "verdict '" + v.id() + "' is healthy but offers fixes"));
            }
            checkPlaceholders(s, file, v.line(), Map.of("explanation", v.explanation() == null ? "" : v.explanation()),
                    inputs, problems);
        }

        Set<String> offered = new HashSet<>();
        s.verdicts().values().forEach(v -> offered.addAll(v.fixes()));
        s.fixes().values().stream().filter(f -> f.then() != null).forEach(f -> offered.add(f.then()));
        for (FixSpec f : s.fixes().values()) {
            if (!offered.contains(f.id())) {
                problems.add(new Problem(file, f.line(), "fix '" + f.id() + "' is offered by no verdict"));
            }
            for (FixSpec.ActionSpec a : f.actions()) {
                var kind = a.kind() == null ? null : catalog.action(a.kind()).orElse(null);
                if (a.kind() != null && kind == null) {
                    problems.add(new Problem(file, a.line(), "fix '" + f.id() + "': unknown action kind '" + a.kind()
                            + "' (known: " + String.join(", ", new java.util.TreeSet<>(catalog.actionKinds())) + ")"));
                    continue;
                }
                if (kind != null) {
                    for (String p : kind.requiredParams()) {
                        if (!a.params().containsKey(p)) {
                            problems.add(new Problem(file, a.line(), "action '" + a.kind() + "': missing param '" + p + "'"));
                        }
                    }
                    for (String p : a.params().keySet()) {
                        if (!kind.requiredParams().contains(p) && !kind.optionalParams().contains(p)) {
                            problems.add(new Problem(file, a.line(), "action '" + a.kind() + "' takes no param '" + p + "'"));
                        }
                    }
                }
                checkPlaceholders(s, file, a.line(), a.params(), inputs, problems);
            }
            for (String key : f.when().keySet()) {
                checkReference(s, file, f.line(), key, inputs, problems);
            }
            if (f.then() != null && !s.fixes().containsKey(f.then())) {
                problems.add(new Problem(file, f.line(), "fix '" + f.id() + "': then '" + f.then() + "' is not a fix"));
            }
            for (var s2 : f.suggest().entrySet()) {
                if (!f.needs().contains(s2.getKey())) {
                    problems.add(new Problem(file, f.line(), "fix '" + f.id() + "': suggest." + s2.getKey() + " is not one of its needs"));
                }
            }
            checkPlaceholders(s, file, f.line(), f.suggest(), inputs, problems);
            for (String need : f.needs()) {
                if (!inputs.contains(need)) {
                    problems.add(new Problem(file, f.line(), "fix '" + f.id() + "' needs unknown input '" + need + "'"));
                }
            }
            if (f.verify() != null && f.verify().test() != null) {
                TestNode vt = s.tests().get(f.verify().test());
                if (vt == null) {
                    problems.add(new Problem(file, f.line(), "fix '" + f.id() + "': verify test '" + f.verify().test() + "' is not a test"));
                } else {
                    java.util.Optional.ofNullable(kindOf(s, vt, new ArrayList<>())).ifPresent(kind -> f.verify().expect().stream()
                            .filter(o -> !kind.outcomes().contains(o))
                            .forEach(o -> problems.add(new Problem(file, f.line(), "fix '" + f.id() + "': verify expects '" + o
                                    + "', which probe '" + vt.probe() + "' never returns (it has: " + String.join(", ", kind.outcomes()) + ")"))));
                }
            }
        }

        if (s.start() != null && s.tests().containsKey(s.start())) {
            reachabilityAndCycles(s, file, problems);
        }
        return problems;
    }

    /** Upper-case stand-ins a by-hand command must not leave for the reader to fill in. */
    private static final Pattern GUESSED_VALUE = Pattern.compile(
            "(?<![,\\w-])(HOST|PORT|NETWORK|SERVER_IP|SERVER|CONTAINER|MAILSERVER|IMAGE|SOURCE|VOLUME|HOSTNAME|FRONT)(?![,\\w-])");
    /** The file name of an incident's write-up (000_226c3545aeb4f1d9.txt): internal, never shown. */
    private static final Pattern WRITE_UP_FILE = Pattern.compile("\\b\\d{3}_[0-9a-f]{8,}\\.txt\\b");

    /**
     * What a person reads: titles start with a capital letter, a reference is listed once (a
     * verdict's reference never repeats the scenario's, nor the start of one), and no text names an
     * incident's write-up file or calls it "the write-up" (name the incident instead).
     */
    private static void wording(Scenario s, String file, List<Problem> problems) {
        java.util.function.BiConsumer<Integer, String> title = (line, t) -> {
            if (t != null && !t.isEmpty() && !Character.isUpperCase(t.codePointAt(0)) && !Character.isDigit(t.codePointAt(0))) {
                problems.add(new Problem(file, line, "title '" + t + "' must start with a capital letter"));
            }
        };
        title.accept(1, s.title());
        s.tests().values().forEach(t -> title.accept(t.line(), t.title()));
        s.verdicts().values().forEach(v -> title.accept(v.line(), v.title()));
        s.fixes().values().forEach(f -> title.accept(f.line(), f.title()));
        List<String> refs = new ArrayList<>(s.references());
        checkReferencesOnce(file, 1, refs, "the scenario", problems);
        for (Verdict v : s.verdicts().values()) {
            List<String> all = new ArrayList<>(v.references());
            all.addAll(s.references());
            checkReferencesOnce(file, v.line(), all, "verdict '" + v.id() + "' with the scenario's", problems);
        }
        List<Map.Entry<Integer, String>> texts = new ArrayList<>();
        texts.add(Map.entry(1, String.valueOf(s.title())));
        texts.add(Map.entry(1, String.valueOf(s.symptom())));
        s.tests().values().forEach(t -> texts.add(Map.entry(t.line(), t.title() + " " + t.explain())));
        s.verdicts().values().forEach(v -> texts.add(Map.entry(v.line(), v.title() + " " + v.explanation())));
        s.fixes().values().forEach(f -> texts.add(Map.entry(f.line(), f.title() + " " + f.description() + " " + f.warning())));
        for (var t : texts) {
            Matcher m = WRITE_UP_FILE.matcher(t.getValue());
            if (m.find()) {
                problems.add(new Problem(file, t.getKey(), "'" + m.group() + "' is an internal file name; name the incident"));
            }
            if (t.getValue().toLowerCase(java.util.Locale.ROOT).contains("write-up")) {
                problems.add(new Problem(file, t.getKey(), "say \"incident " + (s.incident() == null ? "NNN" : s.incident().id())
                        + "\", not \"the write-up\": users never see the write-up"));
            }
        }
    }

    /**
     * What a person reads says values in words: the scenario's {@code words:} name real references
     * and real values, and an explanation or fix description that shows an outcome or a true/false
     * field (or a fix whose condition on one does not hold) has words for every value it can show.
     */
    private void valuesInWords(Scenario s, String file, Set<String> inputs, List<Problem> problems) {
        for (var e : s.words().entrySet()) {
            String ref = e.getKey();
            checkReference(s, file, s.wordsLine(ref), ref, inputs, problems);
            Set<String> values = shownValues(s, ref);
            if (values == null) {
                continue; // a value of any text: words for some of them ("" for none) are fine
            }
            for (String value : e.getValue().keySet()) {
                if (!values.contains(value) && !value.equals(INCONCLUSIVE) && !value.isEmpty()) {
                    problems.add(new Problem(file, s.wordsLine(ref), "words for " + ref + ": '" + value + "' is not one of its values ("
                            + String.join(", ", values) + ")"));
                }
            }
        }
        s.verdicts().values().forEach(v -> proseNeedsWords(s, file, v.line(), "verdict '" + v.id() + "'", v.explanation(), problems));
        s.fixes().values().forEach(f -> proseNeedsWords(s, file, f.line(), "fix '" + f.id() + "'", f.description(), problems));
        for (FixSpec f : s.fixes().values()) {
            for (var when : f.when().entrySet()) {
                String ref = when.getKey();
                String where = "fix '" + f.id() + "' says why its condition on " + ref + " does not hold";
                needWords(s, file, f.line(), where, ref, problems);
                Map<String, String> said = s.words().getOrDefault(ref, Map.of());
                List<String> missing = java.util.Arrays.stream(when.getValue().split("\\|", -1)).filter(v -> !said.containsKey(v)).toList();
                if (shownValues(s, ref) == null && !missing.isEmpty()) {
                    problems.add(new Problem(file, f.line(), where + ": say how the values it is for read under 'words:', '"
                            + ref + ":' (missing: " + missing.stream().map(v -> v.isEmpty() ? "\"\"" : v).collect(java.util.stream.Collectors.joining(", ")) + ")"));
                }
            }
        }
    }

    /** Every placeholder of an explanation or description, each of its references but words in quotes. */
    private void proseNeedsWords(Scenario s, String file, int line, String where, String text, List<Problem> problems) {
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        while (m.find()) {
            for (String alternative : m.group(1).split("\\|", -1)) {
                if (dev.triage.engine.Placeholders.literal(alternative) == null) {
                    needWords(s, file, line, where + " shows '${" + m.group(1) + "}'", alternative.strip(), problems);
                }
            }
        }
    }

    private void needWords(Scenario s, String file, int line, String where, String ref, List<Problem> problems) {
        Set<String> values = shownValues(s, ref);
        if (values == null) {
            return;
        }
        Map<String, String> said = s.words().getOrDefault(ref, Map.of());
        List<String> missing = values.stream().filter(v -> !said.containsKey(v)).toList();
        if (!missing.isEmpty()) {
            boolean outcome = ref.endsWith(".outcome");
            problems.add(new Problem(file, line, where + ", which would show " + (outcome ? "an outcome's name" : "true or false")
                    + " instead of words: say how each value reads under 'words:', '" + ref + ":' (missing: "
                    + String.join(", ", missing) + ")"));
        }
    }

    /**
     * The values a reference can show that are not words: a test's outcomes, or true and false for
     * a yes/no evidence field; null for any other reference.
     */
    private Set<String> shownValues(Scenario s, String ref) {
        int dot = ref.indexOf('.');
        TestNode test = dot <= 0 ? null : s.tests().get(ref.substring(0, dot));
        if (test == null) {
            return null;
        }
        String field = ref.substring(dot + 1);
        TestNode probed = test.switchedTest() != null ? s.tests().get(test.switchedTest()) : test;
        var kind = probed == null ? null : catalog.probe(probed.probe()).orElse(null);
        if (kind == null) {
            return null;
        }
        if (field.equals("outcome")) {
            return new java.util.TreeSet<>(kind.outcomes());
        }
        return test == probed && kind.yesNoFields().contains(field) ? new java.util.TreeSet<>(Set.of("true", "false")) : null;
    }

    private static void checkReferencesOnce(String file, int line, List<String> refs, String where, List<Problem> problems) {
        for (int i = 0; i < refs.size(); i++) {
            for (int j = 0; j < refs.size(); j++) {
                String a = refs.get(i).toLowerCase(java.util.Locale.ROOT);
                String b = refs.get(j).toLowerCase(java.util.Locale.ROOT);
                if (i < j && a.equals(b) || i != j && b.startsWith(a + ":")) {
                    problems.add(new Problem(file, line, where + ": reference '" + refs.get(i) + "' is listed twice"
                            + (a.equals(b) ? "" : " (as '" + refs.get(j) + "')")));
                }
            }
        }
    }

    private void checkPlaceholders(Scenario s, String file, int line, Map<String, ?> values, Set<String> inputs,
                                   List<Problem> problems) {
        for (Object value : values.values()) {
            List<String> texts = value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(value));
            for (String text : texts) {
                Matcher m = PLACEHOLDER.matcher(text);
                while (m.find()) {
                    checkReference(s, file, line, m.group(1), inputs, problems);
                }
            }
        }
    }

    /**
     * The catalog entry of a test's probe. A switch node takes the outcomes of the test it switches
     * on (and must name a test that has a probe of its own), so its mapping is checked like any other.
     */
    private KindCatalog.ProbeKind kindOf(Scenario s, TestNode t, List<Problem> problems) {
        var kind = catalog.probe(t.probe()).orElse(null);
        String switched = t.switchedTest();
        if (kind == null || switched == null) {
            return kind;
        }
        TestNode target = s.tests().get(switched);
        if (target == null || target.switchedTest() != null) {
            problems.add(new Problem(s.source(), t.line(), "test '" + t.id() + "': switch '" + switched
                    + "' must name a test with a probe"));
            return null;
        }
        var targetKind = catalog.probe(target.probe()).orElse(null);
        return targetKind == null ? null : new KindCatalog.ProbeKind(targetKind.outcomes(), kind.requiredParams(),
                kind.optionalParams(), kind.evidenceFields(), kind.yesNoFields(), targetKind.groups());
    }

    private void checkReference(Scenario s, String file, int line, String ref, Set<String> inputs, List<Problem> problems) {
        if (ref.contains("|")) { // alternatives: each must be valid on its own; words in quotes only last
            String[] alternatives = ref.split("\\|", -1);
            for (int i = 0; i < alternatives.length; i++) {
                if (dev.triage.engine.Placeholders.literal(alternatives[i]) != null) {
                    if (i < alternatives.length - 1) {
                        problems.add(new Problem(file, line, "'${" + ref + "}': words in quotes can only be the last alternative"));
                    }
                    continue;
                }
                checkReference(s, file, line, alternatives[i], inputs, problems);
            }
            return;
        }
        int dot = ref.indexOf('.');
        if (dot <= 0 || dot == ref.length() - 1) {
            problems.add(new Problem(file, line, "placeholder '${" + ref + "}' must be input.NAME or TEST.FIELD"));
            return;
        }
        String head = ref.substring(0, dot);
        String field = ref.substring(dot + 1);
        if (head.equals("input")) {
            int part = field.lastIndexOf('.');
            if (part > 0 && (field.endsWith(".host") || field.endsWith(".port"))) {
                String name = field.substring(0, part);
                if (s.inputs().stream().noneMatch(i -> i.name().equals(name) && "host-port".equals(i.type()))) {
                    problems.add(new Problem(file, line, "'${" + ref + "}': .host and .port are parts of a host-port input"));
                }
                return;
            }
            if (!inputs.contains(field)) {
                problems.add(new Problem(file, line, "'${" + ref + "}' names no declared input"));
            }
            return;
        }
        TestNode test = s.tests().get(head);
        if (test == null) {
            problems.add(new Problem(file, line, "'${" + ref + "}' names no test"));
            return;
        }
        if (field.contains(".")) {
            problems.add(new Problem(file, line, "'${" + ref + "}': only TEST.FIELD is supported, not a path inside a field"));
            return;
        }
        catalog.probe(test.probe()).ifPresent(kind -> {
            String top = field;
            if (!kind.evidenceFields().contains(top) && !top.equals("outcome")) { // every test has its outcome
                problems.add(new Problem(file, line, "'${" + ref + "}': probe '" + test.probe()
                        + "' gives no evidence field '" + top + "' (it gives: " + String.join(", ", kind.evidenceFields()) + ")"));
            }
        });
    }

    /** Depth-first from start: reports cycles as they are met and nodes never met. */
    private void reachabilityAndCycles(Scenario s, String file, List<Problem> problems) {
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
        Deque<String> path = new ArrayDeque<>();
        visit(s, s.start(), seen, state, path, file, problems);
        for (TestNode t : s.tests().values()) {
            if (!seen.contains(t.id())) {
                problems.add(new Problem(file, t.line(), "test '" + t.id() + "' is unreachable from start '" + s.start() + "'"));
            }
        }
        for (Verdict v : s.verdicts().values()) {
            if (!seen.contains(v.id())) {
                problems.add(new Problem(file, v.line(), "verdict '" + v.id() + "' is unreachable from start '" + s.start() + "'"));
            }
        }
    }

    private void visit(Scenario s, String id, Set<String> seen, Map<String, Integer> state, Deque<String> path,
                       String file, List<Problem> problems) {
        seen.add(id);
        TestNode t = s.tests().get(id);
        if (t == null) {
            return; // a verdict (or a dangling name, reported elsewhere) is a leaf
        }
        state.put(id, 1);
        path.addLast(id);
        for (String target : new LinkedHashSet<>(t.next().values())) {
            Integer st = state.get(target);
            if (st != null && st == 1) {
                List<String> cycle = new ArrayList<>(path);
                cycle = cycle.subList(cycle.indexOf(target), cycle.size());
                problems.add(new Problem(file, t.line(), "cycle: " + String.join(" -> ", cycle) + " -> " + target));
            } else if (st == null) {
                visit(s, target, seen, state, path, file, problems);
            }
        }
        path.removeLast();
        state.put(id, 2);
    }
}
