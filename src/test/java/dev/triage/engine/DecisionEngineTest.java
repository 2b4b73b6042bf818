package dev.triage.engine;

import dev.triage.app.Catalog;
import dev.triage.host.HostSystem;
import dev.triage.probe.Probe;
import dev.triage.probe.ProbeContext;
import dev.triage.probe.ProbeParams;
import dev.triage.probe.ProbeRegistry;
import dev.triage.probe.ProbeResult;
import dev.triage.probe.ProbeSpec;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioParser;
import dev.triage.scenario.ScenarioValidator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DecisionEngineTest {

    public record Ev(String value, List<String> words) { }

    /** Ends in the outcome its params name, after an optional sleep: the tree decides what it "finds". */
    static final class EchoProbe implements Probe<Ev> {
        @Override public ProbeSpec<Ev> spec() {
            return ProbeSpec.of("echo", Ev.class).outcomes("up", "down").requires("outcome")
                    .optional("value", "words", "sleep-ms");
        }

        @Override
        public ProbeResult<Ev> run(ProbeParams params, ProbeContext context) throws Exception {
            Thread.sleep(params.getInt("sleep-ms", 0));
            return ProbeResult.of(params.get("outcome"), new Ev(params.get("value"), params.list("words")), "echoed");
        }
    }

    static final class FailingProbe implements Probe<Ev> {
        @Override public ProbeSpec<Ev> spec() { return ProbeSpec.of("boom", Ev.class).outcomes("done"); }

        @Override
        public ProbeResult<Ev> run(ProbeParams params, ProbeContext context) {
            throw new IllegalStateException("disk on fire");
        }
    }

    /** Meets its twin at a barrier: "up" only if both run at the same time, "down" if they run one after the other. */
    static final class RendezvousProbe implements Probe<Ev> {
        static volatile java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
        @Override public ProbeSpec<Ev> spec() { return ProbeSpec.of("rendezvous", Ev.class).outcomes("up", "down"); }

        @Override
        public ProbeResult<Ev> run(ProbeParams params, ProbeContext context) throws Exception {
            try {
                barrier.await(1, java.util.concurrent.TimeUnit.SECONDS);
                return ProbeResult.of("up", new Ev("met", List.of()), "met the other test");
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.BrokenBarrierException e) {
                return ProbeResult.of("down", new Ev("alone", List.of()), "ran alone");
            }
        }
    }

    private static final ProbeRegistry PROBES = new ProbeRegistry(new EchoProbe(), new FailingProbe(), new RendezvousProbe());
    private static final DecisionEngine.Environment ENV = new DecisionEngine.Environment(null, HostSystem.local());
    private static final Duration BUDGET = Duration.ofSeconds(30);

    private static final String VERDICTS = """
            verdicts:
              - id: v-good
                title: Good
                healthy: true
                explanation: all good
              - id: v-bad
                title: Bad
                explanation: a found ${a.value}
            """;

    private static Scenario scenario(String body) {
        Scenario s = parse(body);
        assertEquals(List.of(), new ScenarioValidator(new Catalog(PROBES)).validate(s), "test scenario must be valid");
        return s;
    }

    private static Scenario parse(String body) {
        ScenarioParser.Parsed parsed = ScenarioParser.parse("t.yaml",
                "id: t\ntitle: T\nsymptom: S\nincident:\n  id: \"1\"\nstart: a\n" + body);
        assertTrue(parsed.ok(), () -> "test scenario must parse: " + parsed.problems());
        return parsed.scenario();
    }

    private static Diagnosis diagnose(Scenario s) {
        return new DecisionEngine(PROBES).diagnose(s, Map.of(), ENV, BUDGET, RunListener.NONE);
    }

    @Test
    void walksFromStartToTheVerdictOfTheOutcomes() {
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 2s
                    params: {outcome: up, value: first}
                    next: {up: b, down: v-bad}
                  - id: b
                    title: B
                    probe: echo
                    timeout: 2s
                    params: {outcome: down}
                    next: {up: v-good, down: v-bad}
                """ + VERDICTS);
        Diagnosis d = diagnose(s);
        assertEquals("v-bad", d.verdict().id());
        assertEquals(Diagnosis.Status.PROBLEM, d.status());
        assertEquals("a found first", d.explanation());
        assertNull(d.inconclusiveReason());
        assertEquals(List.of("a", "b"), d.steps().stream().map(StepResult::test).toList());
        assertEquals(List.of("up", "down"), d.steps().stream().map(StepResult::outcome).toList());
        assertEquals(List.of("b", "v-bad"), d.steps().stream().map(StepResult::next).toList());
    }

    @Test
    void healthyVerdictGivesStatusHealthy() {
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 2s
                    params: {outcome: up, value: x}
                    next: {up: v-good, down: v-bad}
                """ + VERDICTS);
        Diagnosis d = diagnose(s);
        assertEquals("v-good", d.verdict().id());
        assertEquals(Diagnosis.Status.HEALTHY, d.status());
    }

    @Test
    void probeThatThrowsMakesTheStepAndTheDiagnosisInconclusive() {
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: boom
                    timeout: 2s
                    next: {done: v-good}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                """);
        Diagnosis d = diagnose(s);
        assertEquals(1, d.steps().size());
        StepResult step = d.steps().get(0);
        assertTrue(step.inconclusive());
        assertEquals("inconclusive", step.outcome());
        assertEquals("disk on fire", step.error());
        assertNull(d.verdict());
        assertEquals(Diagnosis.Status.INCONCLUSIVE, d.status());
        assertEquals("test 'a' could not run: disk on fire", d.inconclusiveReason());
    }

    @Test
    void aTimeScaleMultipliesTheTimeLimits() {
        // the probe takes 600 ms against a 200 ms limit: over it as written, within it 5 times over
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 200ms
                    params: {outcome: up, sleep-ms: "600"}
                    next: {up: v-good, down: v-good, inconclusive: v-bad}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                  - id: v-bad
                    title: Bad
                    explanation: not run
                """);
        Diagnosis scaled = new DecisionEngine(PROBES, 5).diagnose(s, Map.of(), ENV, BUDGET, RunListener.NONE);
        assertEquals("up", scaled.steps().get(0).outcome());
        assertEquals(Diagnosis.Status.HEALTHY, scaled.status());
        Diagnosis unscaled = new DecisionEngine(PROBES, 1).diagnose(s, Map.of(), ENV, BUDGET, RunListener.NONE);
        assertTrue(unscaled.steps().get(0).inconclusive(), unscaled.steps().get(0).toString());
        assertThrows(IllegalArgumentException.class, () -> new DecisionEngine(PROBES, 0));
    }

    @Test
    void probeThatOverrunsItsTimeoutIsAbandoned() {
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 200ms
                    params: {outcome: up, sleep-ms: "5000"}
                    next: {"*": v-good}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                """);
        long start = System.nanoTime();
        Diagnosis d = diagnose(s);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // a bound on the time limit's enforcement, not a performance target: the probe sleeps 5 s
        assertTrue(millis < 2000, "diagnose took " + millis + " ms");
        StepResult step = d.steps().get(0);
        assertTrue(step.inconclusive());
        assertTrue(step.error().startsWith("did not finish within"), step.error());
        assertEquals(Diagnosis.Status.INCONCLUSIVE, d.status());
        assertTrue(d.inconclusiveReason().startsWith("test 'a' could not run: did not finish within"), d.inconclusiveReason());
    }

    @Test
    void prefetchedTestsRunAtTheSameTime() {
        RendezvousProbe.barrier = new java.util.concurrent.CyclicBarrier(2);
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: rendezvous
                    timeout: 3s
                    prefetch: true
                    next: {up: b, down: v-bad}
                  - id: b
                    title: B
                    probe: rendezvous
                    timeout: 3s
                    prefetch: true
                    next: {up: v-good, down: v-bad}
                """ + VERDICTS.replace("a found ${a.value}", "alone"));
        Diagnosis d = diagnose(s);
        // run one after the other, each would wait for the other in vain and end "down"
        assertEquals(List.of("up", "up"), d.steps().stream().map(StepResult::outcome).toList());
        assertEquals("v-good", d.verdict().id());
    }

    @Test
    void evidenceOfAnEarlierTestReachesALaterProbesParams() {
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 2s
                    params: {outcome: up, value: 172.18.0.2, words: [x, "y z"]}
                    next: {"*": b}
                  - id: b
                    title: B
                    probe: echo
                    timeout: 2s
                    params: {outcome: up, value: "addr=${a.value}", words: "${a.words}"}
                    next: {"*": v-good}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                """);
        Diagnosis d = diagnose(s);
        Map<String, Object> b = d.evidence().get("b");
        assertEquals("addr=172.18.0.2", b.get("value"));
        assertEquals(List.of("x", "y z"), b.get("words"), "a list field must reach the probe as a list");
    }

    @Test
    void explicitlyMappedInconclusiveIsFollowed() {
        Scenario s = scenario("""
                tests:
                  - id: a
                    title: A
                    probe: boom
                    timeout: 2s
                    next: {done: v-good, inconclusive: v-unknown}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                  - id: v-unknown
                    title: Could not tell
                    explanation: the check failed
                """);
        Diagnosis d = diagnose(s);
        assertEquals("v-unknown", d.verdict().id());
        assertEquals(Diagnosis.Status.PROBLEM, d.status());
        assertEquals("inconclusive", d.steps().get(0).outcome());
        assertEquals("v-unknown", d.steps().get(0).next());
    }

    @Test
    void outcomeTheScenarioDoesNotMapStopsInconclusive() {
        Scenario s = parse("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 2s
                    params: {outcome: down}
                    next: {up: v-good}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                """); // not validated: the validator would refuse the unmapped outcome
        Diagnosis d = diagnose(s);
        assertEquals(Diagnosis.Status.INCONCLUSIVE, d.status());
        assertEquals("test 'a' ended in 'down', which the scenario does not map", d.inconclusiveReason());
    }

    @Test
    void anOutcomeTheProbeDoesNotDeclareIsRefusedLoudly() {
        // issue 17: the engine took whatever outcome a probe returned
        Scenario s = parse("""
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 2s
                    params: {outcome: sideways}
                    next: {up: v-good, down: v-good, sideways: v-good}
                verdicts:
                  - id: v-good
                    title: Good
                    healthy: true
                    explanation: fine
                """); // not validated: the validator refuses an outcome the probe does not declare
        Diagnosis d = diagnose(s);
        assertEquals(Diagnosis.Status.INCONCLUSIVE, d.status(), "never the verdict the undeclared outcome maps to");
        StepResult step = d.steps().get(0);
        assertEquals("inconclusive", step.outcome());
        assertEquals("probe 'echo' ended in 'sideways', which it does not declare (it declares down, up): a bug in triage,"
                + " please report it", step.error());
    }

    @Test
    void aSwitchRepeatsTheCheckedOutcomeOfItsTest() {
        ProbeRegistry withSwitch = new ProbeRegistry(new EchoProbe(), new dev.triage.probe.OutcomeOfProbe());
        ScenarioParser.Parsed parsed = ScenarioParser.parse("t.yaml", "id: t\ntitle: T\nsymptom: S\nincident:\n  id: \"1\"\nstart: a\n" + """
                tests:
                  - id: a
                    title: A
                    probe: echo
                    timeout: 2s
                    params: {outcome: down}
                    next: {up: b, down: b}
                  - id: b
                    title: Decide again
                    switch: a
                    next: {up: v-good, down: v-bad}
                """ + VERDICTS);
        assertTrue(parsed.ok(), () -> parsed.problems().toString());
        Diagnosis d = new DecisionEngine(withSwitch).diagnose(parsed.scenario(), Map.of(), ENV, BUDGET, RunListener.NONE);
        assertEquals("v-bad", d.verdict().id(), d.inconclusiveReason());
    }
}
