package dev.triage.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.report.JsonReport;
import dev.triage.report.SessionReport;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioParser;
import dev.triage.scenario.TestNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15: "✘ The host reaches the server  connected" and "✘ The container's log  not-matched" for a
 * container that never ran. A mark says whether that test's result points at the problem, on the
 * bundled trees walked with canned outcomes.
 */
class ProblemMarksTest {

    private static Scenario scenario(String id) throws Exception {
        Path file = Path.of("scenarios", id + ".yaml");
        return ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
    }

    /** Walks the tree as the engine does, each test (and each switch on it) ending in the outcome given. */
    static Diagnosis walk(Scenario s, Map<String, String> outcomes) {
        String node = s.start();
        List<StepResult> steps = new ArrayList<>();
        while (!s.verdicts().containsKey(node)) {
            TestNode t = s.tests().get(node);
            String outcome = outcomes.get(t.switchedTest() != null ? t.switchedTest() : t.id());
            assertNotNull(outcome, "no outcome given for " + node);
            String next = t.nextFor(outcome);
            steps.add(new StepResult(t.id(), t.title(), t.probe(), outcome, 1, "s", Map.of(), null, next));
            node = next;
        }
        return new Diagnosis(s.id(), Map.of(), steps, s.verdicts().get(node), "x", null, 1);
    }

    @Test
    void theHostReachingTheServerIsNoProblemWhenTheContainerCannot() throws Exception {
        Scenario s = scenario("bridge-egress");
        Diagnosis d = walk(s, Map.of("engine", "reachable", "upstream", "connected", "container", "timeout",
                "host-mode", "connected", "route", "found", "ip-forward", "expected", "firewall", "iptables-nft",
                "forward", "blocked", "nat-blocked", "translated"));
        assertEquals("forward-blocked", d.verdict().id());
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "upstream"), "the host reaching it is the contrast, not the problem");
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "host-mode"));
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "engine"));
        assertTrue(ProblemMarks.pointsAtProblem(s, d, "container"));
        assertTrue(ProblemMarks.pointsAtProblem(s, d, "forward"));
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "not-on-the-path"));
    }

    @Test
    void aLogWithoutTheMessageIsNoProblem() throws Exception {
        Scenario s = scenario("dms-v14-state");
        Diagnosis d = walk(s, Map.of("engine", "reachable", "find", "found", "version", "at-least", "one-dir", "set",
                "state-mounts", "not-mounted", "mail-state", "not-mounted", "state-owner", "not-given", "logs", "not-matched"));
        assertEquals("one-dir-removed", d.verdict().id());
        assertTrue(d.verdict().evidence().contains("logs"));
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "logs"), "not-matched is no problem, even as evidence");
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "find"));
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "mail-state"));
        assertTrue(ProblemMarks.pointsAtProblem(s, d, "one-dir"));
        assertTrue(ProblemMarks.pointsAtProblem(s, d, "decide-one-dir"), "the switch that decided it");
    }

    @Test
    void theResultsThatMakeTheMailuBugAreMarked() throws Exception {
        Scenario s = scenario("mailu-proxy-ooo");
        Diagnosis d = walk(s, Map.of("engine", "reachable", "find", "found", "proxy", "set", "real-ip-from", "set",
                "real-ip-header", "unset", "version", "older", "ports", "port25-proxied", "proxy-file", "no-source",
                "ports-file", "off"));
        assertEquals("ooo-proxy-bug", d.verdict().id());
        assertTrue(ProblemMarks.pointsAtProblem(s, d, "ports"));
        assertTrue(ProblemMarks.pointsAtProblem(s, d, "version"));
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "find"));
        assertFalse(ProblemMarks.pointsAtProblem(s, d, "real-ip-from"));
        // the JSON and the Markdown report carry the same marks
        JsonNode steps = JsonReport.diagnosis(s, d, List.of(), List.of()).get("steps");
        for (JsonNode step : steps) {
            assertEquals(ProblemMarks.pointsAtProblem(s, d, step.get("test").asText()), step.get("pointsAtProblem").asBoolean(),
                    step::toString);
        }
        String md = SessionReport.markdown(s, d, List.of(), List.of());
        assertTrue(md.contains("| find | found | no |"), md);
        assertTrue(md.contains("| ports | port25-proxied | **yes** |"), md);
    }

    @Test
    void aHealthyVerdictMarksNothing() throws Exception {
        Scenario s = scenario("mailu-proxy-ooo");
        Diagnosis d = walk(s, Map.of("engine", "reachable", "find", "found", "proxy", "unset", "real-ip-from", "unset",
                "real-ip-header", "unset", "version", "older", "ports", "off", "proxy-file", "no-source", "ports-file", "off"));
        assertEquals("healthy", d.verdict().id());
        d.steps().forEach(step -> assertFalse(ProblemMarks.pointsAtProblem(s, d, step.test()), step.test()));
    }
}
