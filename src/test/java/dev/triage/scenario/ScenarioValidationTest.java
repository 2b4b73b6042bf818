package dev.triage.scenario;

import dev.triage.app.Catalog;
import dev.triage.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Parser + validator together, as a scenario author meets them: each broken text below differs
 * from {@link #BASE} by exactly one defect, and must yield exactly one problem on the right line.
 */
class ScenarioValidationTest {
    private static final KindCatalog CATALOG = new Catalog(ProbeRegistry.standard());

    /** A small, valid scenario using real probe and action kinds. */
    private static final String BASE = """
            id: mini
            title: Mini scenario
            symptom: Forwarding looks off
            incident:
              id: "001"
            inputs:
              - name: wanted
                prompt: Expected value
                default: "1"
            start: fwd
            tests:
              - id: fwd
                title: Forwarding
                probe: sysctl
                timeout: 2s
                params:
                  key: net.ipv4.ip_forward
                  expect: ${input.wanted}
                next:
                  expected: brnf
                  different: fwd-off
                  absent: fwd-off
              - id: brnf
                title: The br_netfilter module
                probe: bridge-netfilter
                timeout: 2s
                next:
                  enabled: fine
                  "*": fwd-off
            verdicts:
              - id: fine
                title: All fine
                healthy: true
                explanation: Forwarding is ${fwd.value}
              - id: fwd-off
                title: Forwarding is off
                explanation: Forwarding is ${fwd.value}
                fixes: [enable]
            fixes:
              - id: enable
                title: Enable forwarding
                actions:
                  - kind: sysctl-set
                    key: net.ipv4.ip_forward
                    value: "1"
                verify:
                  test: fwd
                  expect: [expected]
            """;

    private static List<Problem> problems(String yaml) {
        ScenarioParser.Parsed parsed = ScenarioParser.parse("t.yaml", yaml);
        List<Problem> all = new ArrayList<>(parsed.problems());
        if (parsed.scenario() != null) {
            all.addAll(new ScenarioValidator(CATALOG).validate(parsed.scenario()));
        }
        return all;
    }

    /** BASE with {@code old} (which must occur exactly once) replaced. */
    private static String edit(String old, String replacement) {
        int at = BASE.indexOf(old);
        assertTrue(at >= 0 && BASE.indexOf(old, at + 1) < 0, "edit target must occur exactly once: " + old);
        return BASE.substring(0, at) + replacement + BASE.substring(at + old.length());
    }

    /** 1-based line of the only line of {@code yaml} that equals {@code line} (ignoring indentation). */
    private static int lineOf(String yaml, String line) {
        assertEquals(-1, nthLineOf(yaml, line, 2), "line occurs twice: " + line);
        return nthLineOf(yaml, line, 1);
    }

    /** 1-based line of the n-th line of {@code yaml} that equals {@code line}, -1 when there is none. */
    private static int nthLineOf(String yaml, String line, int n) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0, seen = 0; i < lines.length; i++) {
            if (lines[i].strip().equals(line) && ++seen == n) {
                return i + 1;
            }
        }
        if (n == 1) {
            fail("no such line: " + line);
        }
        return -1;
    }

    private static Problem single(String yaml) {
        List<Problem> problems = problems(yaml);
        assertEquals(1, problems.size(), () -> "expected exactly one problem, got " + problems);
        return problems.get(0);
    }

    private static void assertSingle(String yaml, int line, String message) {
        Problem p = single(yaml);
        assertEquals(message, p.message());
        assertEquals(line, p.line(), () -> "line of: " + p);
        assertEquals("t.yaml", p.file());
    }

    @Test
    void baseScenarioHasNoProblems() {
        ScenarioParser.Parsed parsed = ScenarioParser.parse("t.yaml", BASE);
        assertTrue(parsed.ok(), () -> "parser: " + parsed.problems());
        assertEquals(List.of(), new ScenarioValidator(CATALOG).validate(parsed.scenario()));
    }

    @Test
    void invalidYamlSyntaxIsReportedOnItsLine() {
        String yaml = edit("symptom: Forwarding looks off", "symptom: Forwarding: looks off");
        ScenarioParser.Parsed parsed = ScenarioParser.parse("t.yaml", yaml);
        assertNull(parsed.scenario());
        Problem p = single(yaml);
        assertEquals("not valid YAML: mapping values are not allowed here", p.message());
        assertEquals(lineOf(yaml, "symptom: Forwarding: looks off"), p.line());
    }

    @Test
    void unknownTopLevelKey() {
        String yaml = edit("title: Mini scenario\n", "title: Mini scenario\nowner: ops\n");
        assertSingle(yaml, lineOf(yaml, "owner: ops"), "unknown key 'owner' (expected one of fixes, id, incident, "
                + "inputs, references, start, symptom, tests, title, verdicts, words)");
    }

    @Test
    void missingTimeout() {
        String yaml = edit("    timeout: 2s\n    params:\n", "    params:\n");
        assertSingle(yaml, lineOf(yaml, "- id: fwd"), "every test needs a 'timeout' (e.g. 5s): no probe may hang");
    }

    @Test
    void unknownProbeKind() {
        String yaml = edit("probe: bridge-netfilter", "probe: bridge-filter");
        Problem p = single(yaml);
        assertEquals(lineOf(yaml, "- id: brnf"), p.line());
        assertTrue(p.message().startsWith("test 'brnf': unknown probe kind 'bridge-filter' (known: "), p.message());
        assertTrue(p.message().contains("bridge-netfilter"), "lists the known kinds: " + p.message());
    }

    @Test
    void nextPointingToNoNode() {
        String yaml = edit("absent: fwd-off", "absent: fwd-gone");
        assertSingle(yaml, lineOf(yaml, "- id: fwd"), "test 'fwd': next.absent -> 'fwd-gone' is neither a test nor a verdict");
    }

    @Test
    void unmappedOutcomeWithoutStarLeadsNowhere() {
        String yaml = edit("      absent: fwd-off\n", "");
        assertSingle(yaml, lineOf(yaml, "- id: fwd"), "test 'fwd': outcome 'absent' leads nowhere (map it, or add '*')");
    }

    @Test
    void unreachableVerdict() {
        String yaml = edit("fixes:\n  - id: enable", """
                  - id: orphan
                    title: Nobody gets here
                    explanation: Never shown
                fixes:
                  - id: enable""");
        assertSingle(yaml, lineOf(yaml, "- id: orphan"), "verdict 'orphan' is unreachable from start 'fwd'");
    }

    @Test
    void unreachableTest() {
        String yaml = edit("verdicts:\n", """
                  - id: lonely
                    title: Not linked from anywhere
                    probe: bridge-netfilter
                    timeout: 2s
                    next:
                      "*": fine
                verdicts:
                """);
        assertSingle(yaml, lineOf(yaml, "- id: lonely"), "test 'lonely' is unreachable from start 'fwd'");
    }

    @Test
    void cycleBetweenTwoTests() {
        String yaml = edit("\"*\": fwd-off", "\"*\": fwd");
        assertSingle(yaml, lineOf(yaml, "- id: brnf"), "cycle: fwd -> brnf -> fwd");
    }

    @Test
    void duplicateTestId() {
        String yaml = edit("verdicts:\n", """
                  - id: brnf
                    title: br_netfilter again
                    probe: bridge-netfilter
                    timeout: 2s
                    next:
                      "*": fine
                verdicts:
                """);
        assertSingle(yaml, nthLineOf(yaml, "- id: brnf", 2), "duplicate test id 'brnf'");
    }

    @Test
    void duplicateVerdictId() {
        String yaml = edit("fixes:\n  - id: enable", """
                  - id: fine
                    title: Fine again
                    healthy: true
                    explanation: Twice
                fixes:
                  - id: enable""");
        assertSingle(yaml, nthLineOf(yaml, "- id: fine", 2), "duplicate verdict id 'fine'");
    }

    @Test
    void idUsedByTestAndVerdict() {
        String yaml = edit("fixes:\n  - id: enable", """
                  - id: brnf
                    title: Same id as a test
                    explanation: Clash
                fixes:
                  - id: enable""");
        // reported at the test (the first "- id: brnf"), not at the verdict
        assertSingle(yaml, nthLineOf(yaml, "- id: brnf", 1), "id 'brnf' is used by a test and a verdict");
    }

    @Test
    void duplicateYamlKey() {
        String yaml = edit("    title: Forwarding\n", "    title: Forwarding\n    title: Forwarding again\n");
        assertSingle(yaml, lineOf(yaml, "title: Forwarding again"),
                "duplicate key 'title' (first at line " + lineOf(yaml, "title: Forwarding") + ")");
    }

    @Test
    void unknownActionKind() {
        String yaml = edit("- kind: sysctl-set", "- kind: sysctl-sett");
        Problem p = single(yaml);
        assertEquals(lineOf(yaml, "- kind: sysctl-sett"), p.line());
        assertTrue(p.message().startsWith("fix 'enable': unknown action kind 'sysctl-sett' (known: "), p.message());
        assertTrue(p.message().contains("sysctl-set"), "lists the known kinds: " + p.message());
    }

    @Test
    void actionMissingRequiredParam() {
        String yaml = edit("        value: \"1\"\n", "");
        assertSingle(yaml, lineOf(yaml, "- kind: sysctl-set"), "action 'sysctl-set': missing param 'value'");
    }

    @Test
    void placeholderNamingUndeclaredInput() {
        String yaml = edit("${input.wanted}", "${input.wantd}");
        assertSingle(yaml, lineOf(yaml, "- id: fwd"), "'${input.wantd}' names no declared input");
    }

    @Test
    void placeholderNamingEvidenceFieldTheProbeDoesNotGive() {
        String yaml = edit("    healthy: true\n    explanation: Forwarding is ${fwd.value}",
                "    healthy: true\n    explanation: Forwarding is ${fwd.valu}");
        assertSingle(yaml, lineOf(yaml, "- id: fine"),
                "'${fwd.valu}': probe 'sysctl' gives no evidence field 'valu' (it gives: key, path, value, expected)");
    }

    @Test
    void healthyVerdictOfferingAFix() {
        String yaml = edit("    healthy: true\n", "    healthy: true\n    fixes: [enable]\n");
        assertSingle(yaml, lineOf(yaml, "- id: fine"), "verdict 'fine' is healthy but offers fixes");
    }

    @Test
    void fixWithoutVerify() {
        String yaml = edit("    verify:\n      test: fwd\n      expect: [expected]\n", "");
        assertSingle(yaml, lineOf(yaml, "- id: enable"), "fix 'enable' must say how it is verified "
                + "('verify: {test: ..., expect: [...]}' or 'verify: manual')");
    }

    @Test
    void repositoryCheckFormatsProblemsAsFileLineMessage() {
        String yaml = edit("title: Mini scenario\n", "title: Mini scenario\nowner: ops\n");
        List<Problem> problems = ScenarioRepository.check(CATALOG, "scenarios/mini.yaml", yaml);
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("scenarios/mini.yaml:3: unknown key 'owner' (expected one of fixes, id, incident, inputs, "
                + "references, start, symptom, tests, title, verdicts, words)", problems.get(0).toString());
    }

    @Test
    void repositoryCheckIncludesValidatorProblems() {
        String yaml = edit("absent: fwd-off", "absent: fwd-gone");
        List<Problem> problems = ScenarioRepository.check(CATALOG, "m.yaml", yaml);
        assertEquals(List.of("m.yaml:" + lineOf(yaml, "- id: fwd")
                        + ": test 'fwd': next.absent -> 'fwd-gone' is neither a test nor a verdict"),
                problems.stream().map(Problem::toString).toList());
    }

    @Test
    void aPathInsideAnEvidenceFieldIsRejected() {
        String yaml = edit("title: Forwarding is off\n    explanation: Forwarding is ${fwd.value}",
                "title: Forwarding is off\n    explanation: Forwarding is ${fwd.value.first}");
        Problem p = single(yaml);
        assertTrue(p.message().contains("only TEST.FIELD is supported"), p.message());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bridge-intercontainer", "bridge-egress", "smtps-proxy-protocol"})
    void everyBundledScenarioHasNoProblems(String id) throws IOException {
        Path file = Path.of("scenarios/" + id + ".yaml");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        ScenarioParser.Parsed parsed = ScenarioParser.parse(file.toString(), text);
        assertNotNull(parsed.scenario(), () -> "not parsed: " + parsed.problems());
        // as the program loads it: parsed, outcome groups replaced by their members, validated
        List<Problem> all = ScenarioRepository.check(CATALOG, file.toString(), text);
        assertEquals(List.of(), all);
        assertEquals(id, parsed.scenario().id());
    }

    /** BASE with brnf replaced by a switch on fwd's outcome, mapped as given. */
    private static String withSwitch(String mapping) {
        return edit("""
                  - id: brnf
                    title: The br_netfilter module
                    probe: bridge-netfilter
                    timeout: 2s
                    next:
                      enabled: fine
                      "*": fwd-off
                """, """
                  - id: brnf
                    title: Decide again
                    switch: fwd
                    next:
                """ + mapping);
    }

    @Test
    void switchNodeTakesTheOutcomesOfTheTestItSwitchesOn() {
        assertEquals(List.of(), problems(withSwitch("      expected: fine\n      different: fwd-off\n      absent: fwd-off\n")));
    }

    @Test
    void switchNodeMappingAnOutcomeTheSwitchedProbeNeverGives() {
        String yaml = withSwitch("      expected: fine\n      enabled: fine\n      \"*\": fwd-off\n");
        Problem p = single(yaml);
        assertEquals(lineOf(yaml, "- id: brnf"), p.line());
        assertTrue(p.message().startsWith("test 'brnf': probe 'outcome-of' has no outcome 'enabled'"), p.message());
    }

    @Test
    void switchNodeWithAnUnmappedOutcome() {
        String yaml = withSwitch("      expected: fine\n      different: fwd-off\n");
        assertSingle(yaml, lineOf(yaml, "- id: brnf"), "test 'brnf': outcome 'absent' leads nowhere (map it, or add '*')");
    }

    @Test
    void switchOnATestThatDoesNotExist() {
        String yaml = withSwitch("      \"*\": fine\n").replace("switch: fwd", "switch: nothing");
        List<Problem> problems = problems(yaml);
        assertTrue(problems.stream().anyMatch(p -> p.message().equals("test 'brnf': switch 'nothing' must name a test with a probe")),
                problems::toString);
    }

    @Test
    void switchNodeTakesNoProbe() {
        String yaml = withSwitch("      \"*\": fine\n").replace("switch: fwd", "switch: fwd\n    probe: sysctl");
        assertTrue(problems(yaml).stream().anyMatch(p -> p.message().contains("a 'switch' node takes no probe")));
    }

    @Test
    void everyAlternativeOfAPlaceholderIsChecked() {
        String yaml = edit("title: Forwarding is off\n    explanation: Forwarding is ${fwd.value}",
                "title: Forwarding is off\n    explanation: Forwarding is ${fwd.value|fwd.colour}");
        Problem p = single(yaml);
        assertTrue(p.message().startsWith("'${fwd.colour}': probe 'sysctl' gives no evidence field 'colour'"), p.message());
    }

    @Test
    void thenMustNameAFix() {
        String yaml = edit("      expect: [expected]\n", "      expect: [expected]\n    then: reboot\n");
        assertSingle(yaml, lineOf(yaml, "- id: enable"), "fix 'enable': then 'reboot' is not a fix");
    }

    // what a person reads: titles, references, write-ups, by-hand commands

    @Test
    void aTitleInLowerCase() {
        assertSingle(edit("title: Forwarding is off", "title: forwarding is off"), lineOf(BASE, "- id: fwd-off"),
                "title 'forwarding is off' must start with a capital letter");
    }

    @Test
    void aVerdictReferenceThatRepeatsTheScenarios() {
        String yaml = edit("start: fwd", "references: [\"moby PR #48492: br_netfilter and a firewall\"]\nstart: fwd")
                .replace("fixes: [enable]\n", "fixes: [enable]\n    references: [\"moby PR #48492\"]\n");
        Problem p = single(yaml);
        assertEquals("verdict 'fwd-off' with the scenario's: reference 'moby PR #48492' is listed twice"
                + " (as 'moby PR #48492: br_netfilter and a firewall')", p.message());
    }

    @Test
    void theWriteUpAndItsFileAreNeverNamed() {
        assertEquals(List.of("'000_226c3545aeb4f1d9.txt' is an internal file name; name the incident",
                        "say \"incident 001\", not \"the write-up\": users never see the write-up"),
                problems(edit("title: Enable forwarding", "title: Enable forwarding as the write-up (000_226c3545aeb4f1d9.txt) did"))
                        .stream().map(Problem::message).toList());
    }

    @Test
    void aByHandCommandUsesThisRunsValuesNotStandIns() {
        assertSingle(edit("    probe: sysctl\n", "    probe: sysctl\n    manual: [\"ping -c 1 HOST\"]\n"), lineOf(BASE, "- id: fwd"),
                "test 'fwd': the by-hand command 'ping -c 1 HOST' leaves HOST to guess; use this run's value"
                        + " (${input.NAME} or ${TEST.FIELD})");
        assertSingle(edit("    probe: sysctl\n", "    probe: sysctl\n    manual: [{run: \"sysctl ${input.nope}\", if-set: input.wanted}]\n"),
                lineOf(BASE, "- id: fwd"), "'${input.nope}' names no declared input");
        assertEquals(List.of(), problems(edit("    probe: sysctl\n", "    probe: sysctl\n    manual: [\"sysctl net.ipv4.ip_forward\","
                + " {run: \"echo ${input.wanted|\\\"not set\\\"}\", if-unset: input.wanted}]\n")));
    }

    @Test
    void wordsInQuotesComeLast() {
        assertSingle(edit("explanation: Forwarding is ${fwd.value}\n    fixes", "explanation: Forwarding is ${\"off\"|fwd.value}\n    fixes"),
                lineOf(BASE, "- id: fwd-off"), "'${\"off\"|fwd.value}': words in quotes can only be the last alternative");
    }

    private static final String WORDS_FOR_FWD = "start: fwd\nwords:\n  fwd.outcome: {expected: \"on as expected\", different: \"not as expected\", absent: \"missing\"}\n";

    @Test
    void anOutcomeInAnExplanationNeedsWordsForEveryOutcome() {
        String yaml = edit("  - id: fine\n    title: All fine\n    healthy: true\n    explanation: Forwarding is ${fwd.value}",
                "  - id: fine\n    title: All fine\n    healthy: true\n    explanation: Forwarding is ${fwd.outcome}");
        assertSingle(yaml, lineOf(yaml, "- id: fine"), "verdict 'fine' shows '${fwd.outcome}', which would show an outcome's name"
                + " instead of words: say how each value reads under 'words:', 'fwd.outcome:' (missing: absent, different, expected)");
        // with words for every outcome it passes; with one missing it names that one
        String worded = yaml.replace("start: fwd\n", WORDS_FOR_FWD);
        assertEquals(List.of(), problems(worded));
        String partly = worded.replace(", absent: \"missing\"", "");
        assertTrue(single(partly).message().endsWith("(missing: absent)"), () -> single(partly).message());
        // as an alternative behind a value, the outcome still needs its words
        String behind = yaml.replace("${fwd.outcome}", "${fwd.value|fwd.outcome}");
        assertTrue(single(behind).message().contains("'fwd.outcome:' (missing: absent, different, expected)"), () -> single(behind).message());
    }

    @Test
    void aTrueFalseFieldInAFixDescriptionNeedsWords() {
        String yaml = edit("    title: Enable forwarding\n", "    title: Enable forwarding\n"
                + "    description: br_netfilter loaded ${brnf.present}\n");
        assertSingle(yaml, lineOf(yaml, "- id: enable"), "fix 'enable' shows '${brnf.present}', which would show true or false"
                + " instead of words: say how each value reads under 'words:', 'brnf.present:' (missing: false, true)");
        String worded = yaml.replace("start: fwd\n", "start: fwd\nwords:\n  brnf.present: {\"true\": \"it is\", \"false\": \"it is not\"}\n");
        assertEquals(List.of(), problems(worded));
        // a quoted alternative for nothing is words too, but does not say true or false
        String quoted = yaml.replace("${brnf.present}", "${brnf.present|\"unknown\"}");
        assertEquals(1, problems(quoted).size());
    }

    @Test
    void aFixConditionIsShownWhenItDoesNotHoldSoItNeedsWords() {
        String yaml = edit("    title: Enable forwarding\n", "    title: Enable forwarding\n"
                + "    when:\n      brnf.present: \"true\"\n      fwd.key: net.ipv4.ip_forward\n");
        List<Problem> found = problems(yaml);
        assertEquals(List.of("fix 'enable' says why its condition on brnf.present does not hold, which would show true or false"
                        + " instead of words: say how each value reads under 'words:', 'brnf.present:' (missing: false, true)",
                "fix 'enable' says why its condition on fwd.key does not hold: say how the values it is for read under"
                        + " 'words:', 'fwd.key:' (missing: net.ipv4.ip_forward)"),
                found.stream().map(Problem::message).toList());
        String worded = yaml.replace("start: fwd\n", "start: fwd\nwords:\n  brnf.present: {\"true\": \"br_netfilter is loaded\","
                + " \"false\": \"br_netfilter is not loaded\"}\n  fwd.key: {net.ipv4.ip_forward: \"the IPv4 forwarding switch\"}\n");
        assertEquals(List.of(), problems(worded));
    }

    @Test
    void wordsNameRealReferencesAndRealValues() {
        String yaml = BASE.replace("start: fwd\n", "start: fwd\nwords:\n  fwd.outcome: {maybe: perhaps}\n  nope.outcome: {x: y}\n"
                + "  brnf.present: {\"yes\": on}\n");
        assertEquals(List.of("words for fwd.outcome: 'maybe' is not one of its values (absent, different, expected)",
                        "'${nope.outcome}' names no test",
                        "words for brnf.present: 'yes' is not one of its values (false, true)"),
                problems(yaml).stream().map(Problem::message).toList());
        assertEquals(List.of(lineOf(yaml, "fwd.outcome: {maybe: perhaps}"), lineOf(yaml, "nope.outcome: {x: y}"),
                lineOf(yaml, "brnf.present: {\"yes\": on}")), problems(yaml).stream().map(Problem::line).toList());
        Problem empty = single(BASE.replace("start: fwd\n", "start: fwd\nwords:\n  fwd.outcome: {expected: \"\"}\n"));
        assertEquals("words for 'fwd.outcome': value 'expected' needs words", empty.message());
        assertEquals(lineOf(BASE.replace("start: fwd\n", "start: fwd\nwords:\n  fwd.outcome: {expected: \"\"}\n"),
                "fwd.outcome: {expected: \"\"}"), empty.line());
    }

    @Test
    void oneTableOfWordsServesSeveralTests() {
        String yaml = BASE.replace("start: fwd\n", "start: fwd\nwords:\n  fwd.outcome, brnf.outcome: {inconclusive: a}\n  fwd.outcome: {absent: b}\n");
        List<Problem> found = problems(yaml);
        assertEquals(List.of("words for 'fwd.outcome' are declared twice"), found.stream().map(Problem::message).toList());
        assertEquals(lineOf(yaml, "fwd.outcome: {absent: b}"), found.get(0).line());
        ScenarioParser.Parsed parsed = ScenarioParser.parse("t.yaml",
                BASE.replace("start: fwd\n", "start: fwd\nwords:\n  fwd.outcome, brnf.outcome: {inconclusive: a}\n"));
        assertEquals(Map.of("inconclusive", "a"), parsed.scenario().words().get("fwd.outcome"));
        assertEquals(Map.of("inconclusive", "a"), parsed.scenario().words().get("brnf.outcome"));
    }
}
