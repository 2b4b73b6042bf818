package dev.triage.engine;

import dev.triage.probe.ProbeRegistry;
import dev.triage.probe.ProbeResult;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.TestNode;
import dev.triage.scenario.Verdict;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Whether a test's result points at the problem a verdict names: the mark every face shows. Never
 * for a healthy or inconclusive verdict, never for an outcome its probe calls fine (a connection
 * made, a container found, a log without the message), even when the verdict shows that test as
 * evidence for contrast. Otherwise it does when the verdict names the test as its evidence, or when,
 * at a node on the path that branches on it, the branch taken leads to this verdict while another
 * branch would have avoided it and could have ended healthy (a switch that decided the verdict).
 */
public final class ProblemMarks {
    private ProblemMarks() { }

    public static boolean pointsAtProblem(Scenario scenario, Diagnosis d, String testId) {
        Verdict v = d.verdict();
        if (v == null || v.healthy() || v.inconclusive()) {
            return false;
        }
        StepResult own = d.steps().stream().filter(s -> s.test().equals(testId)).findFirst().orElse(null);
        if (own == null || own.inconclusive() || fine(scenario, testId, own.outcome())) {
            return false;
        }
        if (v.evidence().contains(testId)) {
            return true;
        }
        Map<String, Set<String>> memo = new HashMap<>();
        for (StepResult step : d.steps()) {
            TestNode node = scenario.tests().get(step.test());
            if (node == null || step.inconclusive() || step.next() == null) {
                continue;
            }
            boolean branchesOnIt = step.test().equals(testId) || testId.equals(node.switchedTest());
            if (!branchesOnIt || !reachable(scenario, step.next(), memo).contains(v.id())) {
                continue;
            }
            for (var e : node.next().entrySet()) {
                if (e.getKey().equals(ProbeResult.INCONCLUSIVE) || e.getValue().equals(step.next())) {
                    continue;
                }
                Set<String> other = reachable(scenario, e.getValue(), memo);
                if (!other.contains(v.id()) && other.stream().anyMatch(id -> healthy(scenario, id))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final ProbeRegistry PROBES = ProbeRegistry.standard();

    /** The outcome is one its probe calls fine; a switch node's is judged by the test it switches on. */
    private static boolean fine(Scenario scenario, String testId, String outcome) {
        TestNode node = scenario.tests().get(testId);
        if (node == null) {
            return false;
        }
        TestNode judged = node.switchedTest() == null ? node : scenario.tests().get(node.switchedTest());
        return judged != null && PROBES.get(judged.probe()).map(p -> p.spec().fineOutcomes().contains(outcome)).orElse(false);
    }

    private static boolean healthy(Scenario scenario, String verdictId) {
        Verdict v = scenario.verdicts().get(verdictId);
        return v != null && v.healthy();
    }

    /** The verdicts reachable from a node (a tree is acyclic; the validator checks it). */
    private static Set<String> reachable(Scenario scenario, String node, Map<String, Set<String>> memo) {
        Set<String> known = memo.get(node);
        if (known != null) {
            return known;
        }
        Set<String> out = new LinkedHashSet<>();
        memo.put(node, out); // a cycle (refused by the validator) cannot recurse forever
        if (scenario.verdicts().containsKey(node)) {
            out.add(node);
            return out;
        }
        TestNode test = scenario.tests().get(node);
        if (test != null) {
            for (String next : new HashSet<>(test.next().values())) {
                out.addAll(reachable(scenario, next, memo));
            }
        }
        return out;
    }
}
