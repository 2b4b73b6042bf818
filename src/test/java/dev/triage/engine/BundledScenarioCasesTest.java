package dev.triage.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.triage.app.Catalog;
import dev.triage.fix.ActionFactory;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixPlanner;
import dev.triage.host.HostSystem;
import dev.triage.probe.ProbeRegistry;
import dev.triage.probe.ScriptedProbes;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioRepository;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every bundled scenario walked without Docker: each file in {@code src/test/resources/scenario-cases}
 * names the answers of the scenario's tests on the usual path ({@code answers}: an outcome, or an
 * outcome with evidence fields) and a table of cases, each changing a few answers and naming the
 * verdict the walk must reach. The explanation must render with no empty placeholder, and every fix
 * the verdict offers is planned (and its preview rendered) against that evidence. Together the cases
 * must reach every verdict a scenario declares.
 */
class BundledScenarioCasesTest {
    private static final Path CASES = Path.of("src/test/resources/scenario-cases");
    private static final java.util.regex.Pattern MARKER = java.util.regex.Pattern.compile("<[A-Za-z0-9_.-]+: (not given|none)>");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, Scenario> SCENARIOS =
            ScenarioRepository.load(new Catalog(ProbeRegistry.standard()), List.of()).scenarios();
    private static final DecisionEngine.Environment NO_SYSTEM = new DecisionEngine.Environment(null, HostSystem.local());

    @TempDir
    static Path etc;

    /**
     * A case's inputs may name files the table writes ({@code files}: name to text) as
     * {@code @name}: a fix then plans against real bytes (a compose file, an env file).
     */
    record Case(String name, Map<String, String> inputs, Map<String, ScriptedProbes.Answer> answers, String expect,
                List<String> fixes, Map<String, String> files,
                List<String> markers, Map<String, String> etc) { }

    @Test
    void everyBundledScenarioHasATableThatReachesEachOfItsVerdicts() throws IOException {
        assertFalse(SCENARIOS.isEmpty());
        for (Scenario s : SCENARIOS.values()) {
            Path file = CASES.resolve(s.id() + ".yaml");
            assertTrue(Files.exists(file), "no case table for scenario " + s.id() + " (" + file + ")");
            Set<String> reached = new TreeSet<>();
            cases(file).forEach(c -> reached.add(c.expect()));
            Set<String> missing = new TreeSet<>(s.verdicts().keySet());
            missing.removeAll(reached);
            assertEquals(Set.of(), missing, "verdicts of " + s.id() + " no case reaches");
            Set<String> unknown = new TreeSet<>(reached);
            unknown.removeAll(s.verdicts().keySet());
            assertEquals(Set.of(), unknown, "cases of " + s.id() + " expect verdicts it does not declare");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCaseReachesItsVerdict() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String id = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                Scenario scenario = SCENARIOS.get(id);
                tests.add(DynamicTest.dynamicTest(id + ": a bundled scenario", () -> assertNotNull(scenario, "no bundled scenario " + id)));
                if (scenario == null) {
                    continue;
                }
                for (Case c : cases(file)) {
                    tests.add(DynamicTest.dynamicTest(id + ": " + c.name(), () -> check(scenario, c)));
                }
            }
        }
        return tests.stream();
    }

    /** The case's inputs, with {@code @name} written out as a file of the case. */
    static Map<String, String> inputsOf(Case c) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (var e : c.inputs().entrySet()) {
            inputs.put(e.getKey(), e.getValue().startsWith("@") ? write(e.getValue().substring(1), c) : e.getValue());
        }
        return inputs;
    }

    private static void check(Scenario scenario, Case c) {
        ScriptedProbes probes = new ScriptedProbes(c.answers());
        Map<String, String> inputs = inputsOf(c);
        Diagnosis d = new DecisionEngine(probes).diagnose(scenario, inputs, NO_SYSTEM, Duration.ofSeconds(30), RunListener.NONE);
        String path = d.steps().stream().map(s -> s.test() + "=" + s.outcome()).toList().toString();
        assertEquals(List.of(), probes.problems(), "the table does not fit the tree; path " + path);
        assertNotNull(d.verdict(), () -> "no verdict: " + d.inconclusiveReason() + "; path " + path);
        assertEquals(c.expect(), d.verdict().id(), "path " + path);
        assertFalse(d.explanation().contains("${") || d.explanation().contains("(unknown)"),
                () -> "unresolved placeholder in: " + d.explanation());
        // a value the evidence has empty shows as a marker; a case lists the ones its facts make (none, mostly)
        List<String> markers = new ArrayList<>();
        java.util.regex.Matcher m = MARKER.matcher(d.explanation());
        while (m.find()) {
            markers.add(m.group());
        }
        assertEquals(c.markers(), markers, () -> "empty values in: " + d.explanation());
        List<FixPlan> plans = new FixPlanner(new ActionFactory(etcOf(c))).plans(scenario, d);
        assertEquals(scenario.fixesFor(c.expect()).size() > 0, !plans.isEmpty(), "fixes planned for " + c.expect());
        for (FixPlan plan : plans) {
            String text = String.join("\n", plan.preview()) + "\n" + plan.title() + "\n" + plan.description()
                    + "\n" + (plan.available() ? "" : plan.unavailable());
            assertFalse(text.contains("${"), () -> "fix " + plan.id() + ": " + text);
            // an unavailable fix names what it misses with a marker; one offered must show every value
            assertFalse(plan.available() && Placeholders.hasMarker(text), () -> "fix " + plan.id() + ": " + text);
        }
        if (c.fixes() != null) {
            assertEquals(c.fixes(), plans.stream().filter(FixPlan::available).map(FixPlan::id).toList(),
                    () -> "fixes available for " + c.expect() + ": " + plans.stream()
                            .map(p -> p.id() + (p.available() ? "" : " (" + p.unavailable() + ")")).toList());
        }
    }

    /** The host's /etc for fix planning: empty, or with the case's {@code etc} files (an OpenWrt firewall config). */
    static Path etcOf(Case c) {
        if (c.etc().isEmpty()) {
            return etc;
        }
        try {
            Path dir = Files.createTempDirectory(etc, "etc");
            for (var e : c.etc().entrySet()) {
                Path f = dir.resolve(e.getKey());
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String write(String name, Case c) {
        String text = c.files().get(name);
        assertNotNull(text, "no file " + name + " in the case's files");
        try {
            Path dir = Files.createTempDirectory(etc, "case");
            Path f = dir.resolve(name);
            Files.writeString(f, text);
            return f.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Case> cases(Path file) throws IOException {
        // SnakeYAML resolves anchors and merge keys ("<<: *older"), which the table uses to share answers
        JsonNode root = YAML.valueToTree(new org.yaml.snakeyaml.Yaml().load(Files.readString(file)));
        Map<String, String> inputs = strings(root.path("inputs"));
        Map<String, ScriptedProbes.Answer> answers = answers(root.path("answers"), Map.of());
        Map<String, String> files = strings(root.path("files"));
        List<Case> cases = new ArrayList<>();
        int n = 0;
        for (JsonNode c : root.path("cases")) {
            n++;
            Map<String, String> in = new LinkedHashMap<>(inputs);
            in.putAll(strings(c.path("inputs")));
            String expect = c.path("expect").asText();
            String name = c.has("name") ? c.get("name").asText() : "case " + n + " -> " + expect;
            List<String> fixes = c.has("fixes") ? YAML.convertValue(c.get("fixes"), List.class) : null;
            Map<String, String> caseFiles = new LinkedHashMap<>(files);
            caseFiles.putAll(strings(c.path("files")));
            List<String> markers = c.has("markers") ? YAML.convertValue(c.get("markers"), List.class) : List.of();
            cases.add(new Case(name, in, answers(c.path("answers"), answers), expect, fixes, caseFiles, markers,
                    strings(c.path("etc"))));
        }
        return cases;
    }

    /** Answers over {@code base}: an outcome alone keeps the base's evidence; evidence fields merge. */
    @SuppressWarnings("unchecked")
    private static Map<String, ScriptedProbes.Answer> answers(JsonNode node, Map<String, ScriptedProbes.Answer> base) {
        Map<String, ScriptedProbes.Answer> all = new LinkedHashMap<>(base);
        if (node.has("<<")) { // a YAML merge key: the answers of an anchor, then these
            all.putAll(answers(node.get("<<"), base));
        }
        Map<String, ScriptedProbes.Answer> merged = Map.copyOf(all);
        node.fields().forEachRemaining(e -> {
            if (e.getKey().equals("<<")) {
                return;
            }
            ScriptedProbes.Answer before = merged.get(e.getKey());
            Map<String, Object> evidence = new LinkedHashMap<>(before == null ? Map.of() : before.evidence());
            List<String> warnings = before == null ? List.of() : before.warnings();
            String outcome;
            if (e.getValue().isTextual()) {
                outcome = e.getValue().asText();
            } else {
                outcome = e.getValue().path("outcome").asText(before == null ? null : before.outcome());
                if (e.getValue().has("evidence")) {
                    evidence.putAll(YAML.convertValue(e.getValue().get("evidence"), Map.class));
                }
                if (e.getValue().has("warnings")) {
                    warnings = YAML.convertValue(e.getValue().get("warnings"), List.class);
                }
            }
            all.put(e.getKey(), new ScriptedProbes.Answer(outcome, evidence, warnings));
        });
        return all;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
