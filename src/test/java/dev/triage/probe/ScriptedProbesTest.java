package dev.triage.probe;

import dev.triage.scenario.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The table registry refuses what a real probe could never return, so a case cannot pass by mistake. */
class ScriptedProbesTest {

    private static TestNode test(String id, String kind) {
        return new TestNode(id, id, kind, Map.of(), Duration.ofSeconds(1), Map.of("*", "v"), false, null, List.of(), 1);
    }

    @Test
    void answersFromTheTableWithTheRealProbesEvidenceType() throws Exception {
        ScriptedProbes probes = new ScriptedProbes(Map.of("env", new ScriptedProbes.Answer("set",
                Map.of("key", "ONE_DIR", "value", "1"), List.of("careful"))));
        Probe<?> probe = probes.forTest(test("env", "env-value")).orElseThrow();
        ProbeResult<?> r = probe.run(new ProbeParams(Map.of()), null);
        assertEquals("set", r.outcome());
        assertEquals(new EnvValueProbe.Evidence("ONE_DIR", "1", null, 0), r.evidence());
        assertEquals(List.of("careful"), r.warnings());
        assertEquals(List.of(), probes.problems());
    }

    @Test
    void aTestWithoutAnAnswerIsAProblemUnlessItOnlyComputes() {
        ScriptedProbes probes = new ScriptedProbes(Map.of());
        assertTrue(probes.forTest(test("engine", "docker-engine")).isEmpty());
        assertTrue(probes.forTest(test("check", "evidence-check")).isPresent());
        assertEquals(List.of("test 'engine' was reached but the table has no answer for it"), probes.problems());
    }

    @Test
    void anOutcomeTheProbeNeverReturnsIsAProblem() {
        ScriptedProbes probes = new ScriptedProbes(Map.of("env", new ScriptedProbes.Answer("maybe", Map.of(), List.of())));
        probes.forTest(test("env", "env-value"));
        assertEquals(1, probes.problems().size());
        assertTrue(probes.problems().get(0).contains("never ends in 'maybe'"), probes.problems().toString());
    }

    @Test
    void anEvidenceFieldTheRecordDoesNotHaveIsAProblem() {
        ScriptedProbes probes = new ScriptedProbes(Map.of("env", new ScriptedProbes.Answer("set", Map.of("vlaue", "1"), List.of())));
        assertTrue(probes.forTest(test("env", "env-value")).isEmpty());
        assertTrue(probes.problems().get(0).contains("evidence does not fit Evidence"), probes.problems().toString());
    }
}
