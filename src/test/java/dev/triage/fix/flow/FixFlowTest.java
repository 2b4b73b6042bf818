package dev.triage.fix.flow;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.ExitCodes;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import dev.triage.scenario.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one fix flow every face drives: which question comes next, and how each step ended. */
class FixFlowTest {
    private static final Verdict PROBLEM = new Verdict("broken", "Broken", false, false, Verdict.Severity.CRITICAL, "x",
            List.of(), List.of(), List.of("edit"), 1);
    private static final Verdict HEALTHY = new Verdict("ok", "OK", true, false, Verdict.Severity.INFO, "x",
            List.of(), List.of(), List.of(), 1);
    private static final StepResult PASSED = new StepResult("t", "T", "p", "good", 1, "it works", null, null, null);
    private static final StepResult FAILED = new StepResult("t", "T", "p", "bad", 1, "still broken", null, null, null);

    private final Map<String, Object> outcomes = new HashMap<>();
    private final List<String> applied = new ArrayList<>();
    private final List<FixResult> journal = new ArrayList<>();

    private static Diagnosis diagnosis(Verdict v) {
        return new Diagnosis("s", Map.of(), List.of(), v, "x", null, 1);
    }

    private static FixPlan plan(String id, String then, String unavailable) {
        return new FixPlan(id, "Title of " + id, null, null, List.of(), null, then, unavailable);
    }

    private FixFlow flow(Verdict v, FixPlan... plans) {
        return new FixFlow(diagnosis(v), List.of(plans), (plan, progress) -> {
            applied.add(plan.id());
            Object o = outcomes.get(plan.id());
            if (o instanceof FixException e) {
                throw e;
            }
            return (FixRunner.Outcome) o;
        }, journal::add);
    }

    private static FixRunner.Outcome appliedAs(String id, StepResult check) {
        return new FixRunner.Outcome(id, true, check == PASSED, false, false, 1, check, null);
    }

    @Test
    void anAppliedChangeOffersItsFollowUpAsItsOwnQuestion() {
        outcomes.put("edit", appliedAs("j1", PASSED));
        outcomes.put("restart", appliedAs("j2", null));
        FixFlow flow = flow(PROBLEM, plan("edit", "restart", null), plan("restart", null, null));
        FixFlow.Question first = (FixFlow.Question) flow.begin((String) null);
        assertEquals("edit", first.plan().id());
        FixFlow.Question next = assertInstanceOf(FixFlow.Question.class, flow.apply(first, l -> { }));
        assertEquals("restart", next.plan().id());
        assertTrue(next.followUp());
        assertEquals("j1", next.earlierJournalId(), "the follow-up names the change it puts in effect");
        FixFlow.Done done = assertInstanceOf(FixFlow.Done.class, flow.apply(next, l -> { }));
        assertEquals(ExitCodes.APPLIED_UNVERIFIED, done.result().exitCode(), "a restart without a verify test: check by hand");
        assertEquals(List.of("edit", "restart"), applied);
        assertEquals(2, journal.size(), "the session hears every result");
    }

    @Test
    void aFollowUpThatCannotRunHereIsStillToDoAndTheProblemRemains() {
        outcomes.put("edit", appliedAs("j1", PASSED));
        FixFlow flow = flow(PROBLEM, plan("edit", "restart", null), plan("restart", null, "needs container"));
        FixFlow.Done done = assertInstanceOf(FixFlow.Done.class, flow.apply((FixFlow.Question) flow.begin((String) null), l -> { }));
        FixResult.StillToDo todo = assertInstanceOf(FixResult.StillToDo.class, done.result());
        assertEquals("Title of restart (triage can do it with container)", todo.what());
        assertEquals(ExitCodes.PROBLEM, done.result().exitCode());
        assertInstanceOf(FixResult.Applied.class, flow.results().get(0));
    }

    @Test
    void declinedFollowUpNamesTheChangeThatStaysApplied() {
        outcomes.put("edit", appliedAs("j1", PASSED));
        FixFlow flow = flow(PROBLEM, plan("edit", "restart", null), plan("restart", null, null));
        FixFlow.Question next = (FixFlow.Question) flow.apply((FixFlow.Question) flow.begin((String) null), l -> { });
        FixResult.Declined d = assertInstanceOf(FixResult.Declined.class, ((FixFlow.Done) flow.decline(next)).result());
        assertEquals("j1", d.earlierJournalId());
        assertEquals(ExitCodes.PROBLEM, d.exitCode());
    }

    @Test
    void aRolledBackChangeOffersNoFollowUp() {
        outcomes.put("edit", new FixRunner.Outcome("j1", true, false, true, false, 1, FAILED, null));
        FixFlow flow = flow(PROBLEM, plan("edit", "restart", null), plan("restart", null, null));
        FixFlow.Done done = assertInstanceOf(FixFlow.Done.class, flow.apply((FixFlow.Question) flow.begin((String) null), l -> { }));
        FixResult.RolledBack b = assertInstanceOf(FixResult.RolledBack.class, done.result());
        assertEquals("verification failed: still broken", b.why());
        assertEquals(List.of("edit"), applied);
    }

    @Test
    void nothingToChangeIsHealthyOnlyWhenVerified() {
        outcomes.put("edit", new FixRunner.Outcome(null, false, true, false, true, 0, PASSED, null));
        FixFlow flow = flow(PROBLEM, plan("edit", null, null));
        assertEquals(ExitCodes.HEALTHY, ((FixFlow.Done) flow.apply((FixFlow.Question) flow.begin((String) null), l -> { }))
                .result().exitCode());
        outcomes.put("edit", new FixRunner.Outcome(null, false, false, false, true, 0, FAILED, null));
        FixFlow again = flow(PROBLEM, plan("edit", null, null));
        assertEquals(ExitCodes.PROBLEM, ((FixFlow.Done) again.apply((FixFlow.Question) again.begin((String) null), l -> { }))
                .result().exitCode());
    }

    @Test
    void aRefusedApplyIsNotAppliedWithItsReason() {
        outcomes.put("edit", new FixException("the journal is locked by another run"));
        FixFlow flow = flow(PROBLEM, plan("edit", null, null));
        FixResult r = ((FixFlow.Done) flow.apply((FixFlow.Question) flow.begin((String) null), l -> { })).result();
        assertEquals("the journal is locked by another run", assertInstanceOf(FixResult.NotApplied.class, r).error());
    }

    @Test
    void dryRunShowsTheFollowUpTooAndAppliesNothing() {
        FixFlow flow = flow(PROBLEM, plan("edit", "restart", null), plan("restart", null, null));
        FixFlow.Question next = (FixFlow.Question) flow.dryRun((FixFlow.Question) flow.begin((String) null));
        assertEquals("restart", next.plan().id());
        assertInstanceOf(FixResult.DryRun.class, ((FixFlow.Done) flow.dryRun(next)).result());
        assertTrue(applied.isEmpty());
    }

    @Test
    void choosingAndAvailabilityAreDecidedOnce() {
        FixFlow healthy = flow(HEALTHY, plan("edit", null, null));
        FixResult.NotOffered n = assertInstanceOf(FixResult.NotOffered.class, ((FixFlow.Done) healthy.begin((String) null)).result());
        assertEquals(ExitCodes.HEALTHY, n.exitCode());
        assertNull(n.plan());
        FixFlow unknown = flow(PROBLEM, plan("edit", null, null));
        assertEquals("fix 'nope' is not offered for broken",
                ((FixResult.NotOffered) ((FixFlow.Done) unknown.begin("nope")).result()).why());
        FixFlow none = flow(PROBLEM, plan("edit", null, "needs container"));
        assertEquals("fix 'edit' is not available: needs container",
                ((FixResult.NotOffered) ((FixFlow.Done) none.begin((String) null)).result()).why());
        FixFlow skipsUnavailable = flow(PROBLEM, plan("a", null, "needs x"), plan("b", null, null));
        assertEquals("b", ((FixFlow.Question) skipsUnavailable.begin((String) null)).plan().id());
    }

    @Test
    void theDiagnosisExitCodeIsMappedInOnePlace() {
        assertEquals(ExitCodes.PROBLEM, ExitCodes.of(diagnosis(PROBLEM)));
        assertEquals(ExitCodes.HEALTHY, ExitCodes.of(diagnosis(HEALTHY)));
        assertEquals(ExitCodes.INCONCLUSIVE, ExitCodes.of(diagnosis(null)));
    }
}
