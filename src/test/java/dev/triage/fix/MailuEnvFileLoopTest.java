package dev.triage.fix;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioParser;
import dev.triage.scenario.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15: with env-file= already right (or right after stop-proxying-25) the verdict stayed
 * ooo-proxy-bug, because the container's environment wins, and the plan offered was an empty diff.
 * Now the verdict says to recreate the container, and a plan that would change nothing is no plan.
 */
class MailuEnvFileLoopTest {
    @TempDir
    Path dir;

    private static Scenario scenario() throws Exception {
        Path file = Path.of("scenarios/mailu-proxy-ooo.yaml");
        return ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
    }

    /** The walk as the engine takes it, with each test's outcome and evidence given. */
    private static Diagnosis walk(Scenario s, Map<String, String> inputs, Map<String, String> outcomes,
                                  Map<String, Map<String, Object>> evidence) {
        String node = s.start();
        List<StepResult> steps = new ArrayList<>();
        while (!s.verdicts().containsKey(node)) {
            TestNode t = s.tests().get(node);
            String outcome = outcomes.get(t.switchedTest() != null ? t.switchedTest() : t.id());
            String next = t.nextFor(outcome);
            steps.add(new StepResult(t.id(), t.title(), t.probe(), outcome, 1, "s",
                    evidence.getOrDefault(t.id(), Map.of()), null, next));
            node = next;
        }
        return new Diagnosis(s.id(), inputs, steps, s.verdicts().get(node), "x", null, 1);
    }

    @Test
    void aFileAlreadyRightWithTheContainerNotIsRecreateTheContainer() throws Exception {
        Scenario s = scenario();
        Path env = dir.resolve("mailu.env");
        Files.writeString(env, "PROXY_PROTOCOL=http\nREAL_IP_FROM=192.0.2.0/24\n");
        Map<String, String> inputs = new HashMap<>(Map.of("env-file", env.toString(), "container", "", "compose-file", ""));
        Diagnosis d = walk(s, inputs, Map.of("engine", "reachable", "find", "found", "proxy", "set", "real-ip-from", "set",
                "real-ip-header", "unset", "version", "older", "ports", "port25-proxied", "proxy-file", "set",
                "ports-file", "port25-not-proxied"), Map.of(
                "proxy", Map.of("value", "all", "source", "the environment of container front"),
                "proxy-file", Map.of("value", "http", "source", env.toString()),
                "ports", Map.of("without25", "http", "ports", "25 465 587 993 995"),
                "version", Map.of("version", "2.0", "reading", "older")));
        assertEquals("container-not-recreated", d.verdict().id());
        String explanation = dev.triage.engine.Placeholders.renderLenient(d.verdict().explanation(), inputs, d.evidence());
        assertTrue(explanation.contains("docker compose up -d"), explanation);
        assertTrue(explanation.contains("the environment of container front") && explanation.contains(env.toString()),
                "says where each value came from: " + explanation);
        List<FixPlan> plans = new FixPlanner(new ActionFactory(dir)).plans(s, d);
        assertFalse(plans.stream().anyMatch(p -> p.id().equals("stop-proxying-25")), "no edit of a file that is right");
    }

    @Test
    void withTheFileStillWrongItIsTheBugAndTheEditIsARealChange() throws Exception {
        Scenario s = scenario();
        Path env = dir.resolve("mailu.env");
        Files.writeString(env, "PROXY_PROTOCOL=all\n");
        Map<String, String> inputs = new HashMap<>(Map.of("env-file", env.toString()));
        Diagnosis d = walk(s, inputs, Map.of("engine", "reachable", "find", "found", "proxy", "set", "real-ip-from", "set",
                "real-ip-header", "unset", "version", "older", "ports", "port25-proxied", "proxy-file", "set",
                "ports-file", "port25-proxied"), Map.of("ports", Map.of("without25", "http")));
        assertEquals("ooo-proxy-bug", d.verdict().id());
        FixPlan stop = new FixPlanner(new ActionFactory(dir)).plans(s, d).stream()
                .filter(p -> p.id().equals("stop-proxying-25")).findFirst().orElseThrow();
        assertTrue(stop.available(), stop.unavailable());
        assertTrue(stop.preview().stream().anyMatch(l -> l.strip().equals("+PROXY_PROTOCOL=http")), stop.preview()::toString);
    }

    @Test
    void aPlanThatWouldChangeNothingIsNeverAnEmptyDiff() throws Exception {
        Scenario s = scenario();
        Path env = dir.resolve("mailu.env");
        Files.writeString(env, "PROXY_PROTOCOL=http\n");
        Diagnosis d = new Diagnosis(s.id(), new HashMap<>(Map.of("env-file", env.toString())), List.of(
                new StepResult("ports", "p", "mailu-proxy-protocol", "port25-proxied", 1, "s", Map.of("without25", "http"),
                        null, null)), s.verdicts().get("ooo-proxy-bug"), "x", null, 1);
        FixPlan stop = new FixPlanner(new ActionFactory(dir)).plans(s, d).stream()
                .filter(p -> p.id().equals("stop-proxying-25")).findFirst().orElseThrow();
        assertFalse(stop.available());
        assertTrue(stop.unavailable().startsWith("nothing to change: " + env.toRealPath() + " already says this"), stop.unavailable());
        assertTrue(stop.unavailable().contains("docker compose up -d"), stop.unavailable());
        FileWrite same = FileWrite.plan(env, "PROXY_PROTOCOL=http\n", "why");
        assertTrue(same.changesNothing());
        assertEquals(1, same.preview().size());
        assertTrue(same.preview().get(0).contains("no change"), same.preview()::toString);
    }
}
