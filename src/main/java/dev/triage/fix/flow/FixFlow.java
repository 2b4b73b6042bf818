package dev.triage.fix.flow;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.ExitCodes;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one fix flow of every face: choose the plan, ask, apply (the runner backs up, journals,
 * verifies and rolls back), then offer the plan's follow-up ({@code then:}) as its own step with
 * its own question. A face only shows each {@link Question} and each {@link FixResult}:
 * <pre>
 *   Step s = flow.begin(chosen);
 *   while (s instanceof Question q) { show q.plan(); s = ask ? flow.apply(q, progress) : flow.decline(q); }
 * </pre>
 */
public final class FixFlow {

    /** Applies a confirmed plan (the session's run: fresh probe resources for the verification). */
    public interface Applier {
        FixRunner.Outcome apply(FixPlan plan, Consumer<String> progress) throws FixException;
    }

    /** What comes next: a plan to ask about, or the end. */
    public sealed interface Step permits Question, Done { }

    /** Ask about this plan; {@code followUp}: it is the follow-up of the step before, which stays applied as {@code earlierJournalId}. */
    public record Question(FixPlan plan, boolean followUp, String earlierJournalId) implements Step { }

    /** The flow ended with this result (the last of {@link #results()}). */
    public record Done(FixResult result) implements Step { }

    private final Diagnosis diagnosis;
    private final List<FixPlan> plans;
    private final Applier applier;
    private final Consumer<FixResult> journal;
    private final List<FixResult> results = new ArrayList<>();

    /** {@code journal} hears every result (the session keeps them for its report). */
    public FixFlow(Diagnosis diagnosis, List<FixPlan> plans, Applier applier, Consumer<FixResult> journal) {
        this.diagnosis = diagnosis;
        this.plans = List.copyOf(plans);
        this.applier = applier;
        this.journal = journal;
    }

    /**
     * Starts with the plan {@code choose} names, or the first available one (null): the first
     * question, or why there is nothing to ask.
     */
    public Step begin(String choose) {
        if (diagnosis.status() != Diagnosis.Status.PROBLEM) {
            return end(new FixResult.NotOffered(null, diagnosis.status() == Diagnosis.Status.HEALTHY
                    ? "healthy: nothing to fix" : "inconclusive", ExitCodes.of(diagnosis)));
        }
        FixPlan plan = plans.stream().filter(p -> choose == null ? p.available() : p.id().equals(choose)).findFirst()
                .orElse(choose == null && !plans.isEmpty() ? plans.get(0) : null); // none available: say why the first is not
        if (plan == null || !plan.available()) {
            String why = choose != null && plan == null ? "fix '" + choose + "' is not offered for " + diagnosis.verdict().id()
                    : plan != null ? "fix '" + plan.id() + "' is not available: " + plan.unavailable()
                    : "no fix is available for " + diagnosis.verdict().id() + "; follow the explanation above";
            return end(new FixResult.NotOffered(plan, why, ExitCodes.PROBLEM));
        }
        return new Question(plan, false, null);
    }

    /** Starts with this plan (a face's list): its question, or why it cannot be applied. */
    public Step begin(FixPlan plan) {
        if (!plan.available()) {
            return end(new FixResult.NotOffered(plan, "fix '" + plan.id() + "' is not available: " + plan.unavailable(),
                    ExitCodes.PROBLEM));
        }
        return new Question(plan, false, null);
    }

    /** The admin said yes: applies, then the follow-up question if there is one. */
    public Step apply(Question q, Consumer<String> progress) {
        FixResult r;
        try {
            FixRunner.Outcome o = applier.apply(q.plan(), progress);
            r = o.rolledBack() ? new FixResult.RolledBack(q.plan(), o, q.earlierJournalId())
                    : o.nothingToChange() ? new FixResult.NothingToChange(q.plan(), o)
                    : new FixResult.Applied(q.plan(), o);
        } catch (FixException e) {
            r = new FixResult.NotApplied(q.plan(), e.getMessage());
        }
        record(r);
        return r.inEffect() ? followUp(q, r) : new Done(r);
    }

    /** The admin said no. */
    public Step decline(Question q) {
        return end(new FixResult.Declined(q.plan(), q.earlierJournalId()));
    }

    /** No terminal and no --yes: nothing is asked or changed. */
    public Step noOneToAsk(Question q) {
        return end(new FixResult.NoOneToAsk(q.plan()));
    }

    /** --dry-run: shows the plan, and its follow-up too, without asking. */
    public Step dryRun(Question q) {
        FixResult r = new FixResult.DryRun(q.plan());
        record(r);
        return q.followUp() ? new Done(r) : followUp(q, r);
    }

    private Step followUp(Question q, FixResult done) {
        FixPlan plan = q.plan();
        if (plan.then() == null || q.followUp()) {
            return new Done(done);
        }
        Optional<FixPlan> next = plans.stream().filter(p -> p.id().equals(plan.then())).findFirst();
        if (next.isPresent() && next.get().available()) {
            String journalId = done instanceof FixResult.Applied a ? a.journalId() : null;
            return new Question(next.get(), true, journalId);
        }
        if (done instanceof FixResult.DryRun) {
            return new Done(done);
        }
        return end(new FixResult.StillToDo(plan, plan.then(), next.orElse(null)));
    }

    private Step end(FixResult r) {
        record(r);
        return new Done(r);
    }

    private void record(FixResult r) {
        results.add(r);
        journal.accept(r);
    }

    /** Every result so far, in order. */
    public List<FixResult> results() {
        return List.copyOf(results);
    }
}
