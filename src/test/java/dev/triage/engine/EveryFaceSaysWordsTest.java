package dev.triage.engine;

import dev.triage.app.Catalog;
import dev.triage.fix.ActionFactory;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixPlanner;
import dev.triage.probe.ProbeRegistry;
import dev.triage.probe.ScriptedProbes;
import dev.triage.report.HumanReport;
import dev.triage.report.SessionReport;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioRepository;
import dev.triage.scenario.TestNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every face shows, for every case of every bundled scenario (the tables of
 * {@link BundledScenarioCasesTest}), read as a junior admin reads it: the text report with its
 * evidence, the by-hand commands of each test on the path (explain mode), the Markdown report, the
 * verdict's title and the fixes offered. Words, never internals: no bare true/false as a value, no
 * empty-value marker, no Java class name, no outcome name in prose, no incident write-up's file
 * name, no title in lower case, no reference twice, no HOST/NETWORK-style placeholder in a command;
 * nor in the text and Markdown reports (evidence included) a bare true/false, nor in the reason a
 * fix does not apply a reference or an outcome name.
 */
class EveryFaceSaysWordsTest {
    private static final Path CASES = Path.of("src/test/resources/scenario-cases");
    private static final Map<String, Scenario> SCENARIOS =
            ScenarioRepository.load(new Catalog(ProbeRegistry.standard()), List.of()).scenarios();

    static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*\\.[A-Z][A-Za-z0-9_]*(Exception|Error)\\b");
    static final Pattern WRITE_UP_FILE = Pattern.compile("\\b\\d{3}_[0-9a-f]{8,}\\.txt\\b");
    static final Pattern MARKER = Pattern.compile("<[A-Za-z0-9_.-]+: (not given|none)>|\\(unknown\\)");
    /** true/false standing as a value in a sentence ("said false", "triage's: true"), not a quoted setting. */
    static final Pattern BARE_BOOLEAN = Pattern.compile("(?<![=\"'_.-])\\b(true|false)\\b(?![=\"'_.-])");
    /** What a by-hand command must never leave for the reader to fill in. */
    static final Pattern UPPER_PLACEHOLDER = Pattern.compile(
            "(?<![,\\w-])(HOST|PORT|NETWORK|SERVER_IP|SERVER|CONTAINER|MAILSERVER|IMAGE|SOURCE|VOLUME|HOSTNAME|FRONT|NAME|IP)(?![,\\w-])");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void files() {
        BundledScenarioCasesTest.etc = tmp;
    }

    @org.junit.jupiter.api.Test
    void everyBundledScenarioPassesTheValidatorsWordingRules() throws IOException {
        var repo = ScenarioRepository.load(new Catalog(ProbeRegistry.standard()), List.of());
        assertEquals(List.of(), repo.problems().stream().map(Object::toString).toList());
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            assertEquals(files.filter(f -> f.toString().endsWith(".yaml")).count(), repo.scenarios().size());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFaceOfEveryCaseSaysWords() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String id = file.getFileName().toString().replaceFirst("\\.yaml$", "");
                Scenario scenario = SCENARIOS.get(id);
                if (scenario == null) {
                    continue; // BundledScenarioCasesTest names it
                }
                for (BundledScenarioCasesTest.Case c : BundledScenarioCasesTest.cases(file)) {
                    tests.add(DynamicTest.dynamicTest(id + ": " + c.name(), () -> check(scenario, c, false)));
                }
            }
        }
        return tests.stream();
    }

    /** Outcome names, true/false and empty-value markers never stand as values in explanations or fix descriptions. */
    @TestFactory
    Stream<DynamicTest> explanationsSayValuesInWords() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Scenario scenario = SCENARIOS.get(file.getFileName().toString().replaceFirst("\\.yaml$", ""));
                for (BundledScenarioCasesTest.Case c : scenario == null ? List.<BundledScenarioCasesTest.Case>of()
                        : BundledScenarioCasesTest.cases(file)) {
                    tests.add(DynamicTest.dynamicTest(scenario.id() + ": " + c.name(), () -> check(scenario, c, true)));
                }
            }
        }
        return tests.stream();
    }

    /** One case rendered by every face; every problem is listed at once, with the face that shows it. */
    private static void check(Scenario scenario, BundledScenarioCasesTest.Case c, boolean prose) {
        List<TestNode> ran = new ArrayList<>();
        Diagnosis d = new DecisionEngine(new ScriptedProbes(c.answers())).diagnose(scenario, BundledScenarioCasesTest.inputsOf(c),
                new DecisionEngine.Environment(null, dev.triage.host.HostSystem.local()), Duration.ofSeconds(30),
                new RunListener() {
                    @Override
                    public void testFinished(TestNode test, StepResult result) {
                        ran.add(test);
                    }
                });
        List<FixPlan> plans = new FixPlanner(new ActionFactory(BundledScenarioCasesTest.etcOf(c))).plans(scenario, d);
        Set<String> outcomes = new LinkedHashSet<>();
        d.steps().forEach(s -> outcomes.add(s.outcome()));

        List<String> problems = new ArrayList<>();
        String report = String.join("\n", HumanReport.verdictLines(scenario, d, plans, true, 76));
        String markdown = SessionReport.markdown(scenario, d, plans, List.of());
        List<String> byHand = new ArrayList<>();
        for (TestNode t : ran) {
            byHand.addAll(HumanReport.explainLines(t, 76));
        }
        String shownPlans = String.join("\n", plans.stream().flatMap(p -> HumanReport.planLines(p, 76).stream()).toList());

        // prose: what the verdict says and what each offered fix says it does
        List<String> proseTexts = new ArrayList<>();
        if (d.verdict() != null) {
            proseTexts.add(d.verdict().title());
            proseTexts.add(d.explanation());
        }
        for (FixPlan p : plans) {
            proseTexts.add(p.title());
            proseTexts.add(p.description() == null ? "" : p.description());
        }
        for (String text : prose ? proseTexts : List.<String>of()) {
            find(problems, "prose", BARE_BOOLEAN, text);
            for (String outcome : outcomes) {
                if (outcome.contains("-") && Pattern.compile("(?<![\\w-])" + Pattern.quote(outcome) + "(?![\\w-])").matcher(text).find()) {
                    problems.add("prose: the outcome name '" + outcome + "' in: " + text);
                }
            }
        }
        if (prose && d.verdict() != null) {
            find(problems, "verdict", MARKER, d.explanation());
        }
        // the CLI's text report (evidence included) and the Markdown report: no bare true/false anywhere
        for (var face : prose ? Map.of("text report", report, "markdown", markdown).entrySet() : Map.<String, String>of().entrySet()) {
            find(problems, face.getKey(), BARE_BOOLEAN, face.getValue());
        }
        // --json: the texts a person reads in it are the same words (the values themselves stay JSON's)
        if (prose) {
            var json = dev.triage.report.JsonReport.diagnosis(scenario, d, plans, List.of());
            List<String> jsonTexts = new ArrayList<>(List.of(json.path("verdict").path("explanation").asText("")));
            json.path("fixes").forEach(f -> {
                jsonTexts.add(f.path("description").asText(""));
                jsonTexts.add(f.path("unavailable").asText(""));
            });
            jsonTexts.forEach(t -> find(problems, "json", BARE_BOOLEAN, t));
            find(problems, "json", MARKER, json.path("verdict").path("explanation").asText(""));
        }
        // why a fix does not apply is said in words too (no "firewall.manager is ''")
        for (FixPlan p : prose ? plans : List.<FixPlan>of()) {
            String why = p.available() ? "" : p.unavailable();
            find(problems, "fix " + p.id() + " not available", BARE_BOOLEAN, why);
            if (why.contains("''") || Pattern.compile("\\b[a-z][\\w-]*\\.[a-z]\\w* is '").matcher(why).find()) {
                problems.add("fix " + p.id() + ": its reason names a reference, not words: " + why);
            }
            for (String outcome : outcomes) {
                if (outcome.contains("-") && Pattern.compile("(?<![\\w-])" + Pattern.quote(outcome) + "(?![\\w-])").matcher(why).find()) {
                    problems.add("fix " + p.id() + ": the outcome name '" + outcome + "' in: " + why);
                }
            }
        }
        for (FixPlan p : prose ? plans : List.<FixPlan>of()) {
            if (p.available()) {
                find(problems, "fix " + p.id(), MARKER, p.description() == null ? "" : p.description());
            }
        }
        // titles start with a capital letter: the verdict's, every fix's, every test's
        List<String> titles = new ArrayList<>();
        if (d.verdict() != null) {
            titles.add(d.verdict().title());
        }
        plans.forEach(p -> titles.add(p.title()));
        ran.forEach(t -> titles.add(t.title()));
        for (String title : titles) {
            if (!title.isEmpty() && !Character.isUpperCase(title.codePointAt(0)) && !Character.isDigit(title.codePointAt(0))) {
                problems.add("title in lower case: " + title);
            }
        }
        // every face: no Java class name, no write-up file name
        for (var face : Map.of("text report", report, "markdown", markdown, "by hand", String.join("\n", byHand),
                "plans", shownPlans).entrySet()) {
            find(problems, face.getKey(), CLASS_NAME, face.getValue());
            find(problems, face.getKey(), WRITE_UP_FILE, face.getValue());
            if (face.getValue().toLowerCase(Locale.ROOT).contains("write-up")) {
                problems.add(face.getKey() + ": says 'write-up' (name the incident): " + around(face.getValue(), "write-up"));
            }
        }
        for (String l : byHand) {
            find(problems, "by hand", UPPER_PLACEHOLDER, l);
            find(problems, "by hand", MARKER, l);
            if (l.contains("${")) {
                problems.add("by hand: unresolved placeholder in: " + l);
            }
        }
        // this run's commands end by removing what they created
        for (int i = 0; i < byHand.size(); i++) {
            Matcher created = Pattern.compile("docker network create (\\S+)").matcher(byHand.get(i));
            if (created.find() && byHand.subList(i, byHand.size()).stream().noneMatch(l -> l.contains("docker network rm " + created.group(1)))) {
                problems.add("by hand: creates network " + created.group(1) + " and never removes it");
            }
            Matcher detached = Pattern.compile("docker run -d --name (\\S+)").matcher(byHand.get(i));
            if (detached.find() && byHand.subList(i, byHand.size()).stream().noneMatch(l -> l.matches(".*docker (rm -f|container rm -f) .*"
                    + Pattern.quote(detached.group(1)) + ".*"))) {
                problems.add("by hand: starts container " + detached.group(1) + " and never removes it");
            }
        }
        // no reference twice, nor one that only repeats the start of another, nor two that cite the
        // same issue or pull request in other words ("Mailu #3172 (the report)" and "Mailu #3172, PR #3178")
        List<String> refs = HumanReport.references(scenario, d);
        for (int i = 0; i < refs.size(); i++) {
            for (int j = 0; j < refs.size(); j++) {
                String a = refs.get(i);
                String b = refs.get(j);
                if (i != j && (a.equalsIgnoreCase(b) || b.toLowerCase(Locale.ROOT).startsWith(a.toLowerCase(Locale.ROOT) + ":"))) {
                    problems.add("reference listed twice: '" + a + "' and '" + b + "'");
                }
                if (i < j) {
                    Set<String> shared = new TreeSet<>(numbersCited(a));
                    shared.retainAll(numbersCited(b));
                    if (!shared.isEmpty()) {
                        problems.add("references '" + a + "' and '" + b + "' both cite " + String.join(", ", shared));
                    }
                }
            }
        }
        assertEquals(List.of(), problems, () -> "what the faces show for " + scenario.id() + " (" + c.name() + "):\n"
                + report + "\n--- by hand:\n" + String.join("\n", byHand));
    }

    private static final Pattern CITED_NUMBER = Pattern.compile("#\\d+");

    private static Set<String> numbersCited(String reference) {
        Set<String> numbers = new TreeSet<>();
        Matcher m = CITED_NUMBER.matcher(reference);
        while (m.find()) {
            numbers.add(m.group());
        }
        return numbers;
    }

    private static void find(List<String> problems, String face, Pattern p, String text) {
        Matcher m = p.matcher(text == null ? "" : text);
        while (m.find()) {
            problems.add(face + ": '" + m.group() + "' in: " + around(text, m));
        }
    }

    private static String around(String text, Matcher m) {
        return "..." + text.substring(Math.max(0, m.start() - 60), Math.min(text.length(), m.end() + 60)).replace("\n", " ") + "...";
    }

    private static String around(String text, String what) {
        int i = text.toLowerCase(Locale.ROOT).indexOf(what.toLowerCase(Locale.ROOT));
        return "..." + text.substring(Math.max(0, i - 60), Math.min(text.length(), i + what.length() + 60)).replace("\n", " ") + "...";
    }
}
