package dev.triage.cli;

import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.Triage;
import dev.triage.engine.Diagnosis;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "fix", mixinStandardHelpOptions = true,
        description = {"Diagnose, show the fix plan exactly, ask, apply, verify on fresh probe resources,",
                "and roll back by itself if verification fails. 'triage undo' reverts it later."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy now (fixed and verified, or nothing was wrong)",
                "1:the problem remains (declined, no terminal without --yes, verification failed and rolled back,"
                        + " no fix available, or a follow-up step still to do)",
                "2:inconclusive: a test could not run",
                "3:applied and kept, but triage cannot verify this fix: check by hand", "64:usage error"})
final class FixCommand extends ScenarioOptions implements Callable<Integer> {

    @CommandLine.ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--dry-run", description = "Show the plan and stop.")
        boolean dryRun;

        @Option(names = "--yes", description = "Apply without asking (required when there is no terminal).")
        boolean yes;
    }

    @Option(names = "--choose", paramLabel = "FIX", description = "Apply this fix instead of the first one offered.")
    String choose;

    /** Whether the last plan left the system as it wants (applied and kept, or nothing to change). */
    private boolean lastApplied;
    private String lastJournalId;
    /** The journal entry of the step before a follow-up, to name it when the follow-up does not go through. */
    private String earlierJournalId;

    @Override
    public Integer call() throws Exception {
        Output out = Output.of(json);
        try (Triage.Run run = open(out)) {
            prepare();
            Diagnosis d = diagnose(run, out);
            List<FixPlan> plans = run.plans(scenario, d);
            HumanReport.verdict(out.report(), scenario, d, plans, false);
            ObjectNode doc = JsonReport.diagnosis(scenario, d, plans, swept);
            int code = apply(run, d, plans, out, doc);
            if (json) {
                System.out.println(JsonReport.JSON.writeValueAsString(doc));
            }
            return code;
        }
    }

    private int apply(Triage.Run run, Diagnosis d, List<FixPlan> plans, Output out, ObjectNode doc) {
        if (d.status() != Diagnosis.Status.PROBLEM) {
            doc.set("fix", JsonReport.fix(null, null, d.status() == Diagnosis.Status.HEALTHY ? "healthy: nothing to fix" : "inconclusive"));
            out.report().println(d.status() == Diagnosis.Status.HEALTHY ? "\nNothing to fix." : "\nNo fix without a verdict.");
            return exitCode(d);
        }
        FixPlan plan = plans.stream().filter(p -> choose == null ? p.available() : p.id().equals(choose)).findFirst()
                .orElse(choose == null && !plans.isEmpty() ? plans.get(0) : null); // none available: say why the first is not
        if (plan == null || !plan.available()) {
            String why = choose != null && plan == null ? "fix '" + choose + "' is not offered for " + d.verdict().id()
                    : plan != null ? "fix '" + plan.id() + "' is not available: " + plan.unavailable()
                    : "no fix is available for " + d.verdict().id() + "; follow the explanation above";
            out.report().println("\n" + why);
            doc.set("fix", JsonReport.fix(plan, null, why));
            return TriageCommand.PROBLEM;
        }
        int code = applyOne(run, d, plan, out, doc, "fix");
        // the follow-up (a restart that loads the changed file) is its own plan with its own
        // confirmation; it exists only when its inputs were given (container=), which is the opt-in
        FixPlan next = (lastApplied || mode.dryRun) && plan.then() != null ? plans.stream()
                .filter(p -> p.id().equals(plan.then()) && p.available()).findFirst().orElse(null) : null;
        if (next != null) {
            out.report().println("\nThen, as its own step:");
            earlierJournalId = lastJournalId;
            code = applyOne(run, d, next, out, doc, "then");
        } else if (lastApplied && plan.then() != null) {
            FixPlan unavailable = plans.stream().filter(p -> p.id().equals(plan.then())).findFirst().orElse(null);
            out.report().println("\nStill to do: " + (unavailable == null ? plan.then() : unavailable.title()
                    + (unavailable.unavailable() == null ? "" : " (triage can do it with " + unavailable.unavailable()
                    .replace("needs ", "") + ")")));
            code = TriageCommand.PROBLEM; // changed, but not in effect yet
        }
        return code;
    }

    private int applyOne(Triage.Run run, Diagnosis d, FixPlan plan, Output out, ObjectNode doc, String key) {
        lastApplied = false;
        lastJournalId = null;
        out.report().println();
        out.report().println("Plan: " + plan.title() + " (" + plan.id() + ")");
        if (plan.description() != null) {
            HumanReport.wrap(plan.description(), 76).forEach(l -> out.report().println("  " + l));
        }
        plan.preview().forEach(l -> out.report().println("  " + l));
        if (plan.warning() != null) {
            out.report().println("  WARNING: " + plan.warning());
        }
        if (mode.dryRun) {
            doc.set(key, JsonReport.fix(plan, null, "dry run"));
            return TriageCommand.PROBLEM;
        }
        if (!mode.yes) {
            out.report().flush();
            var answer = Confirmation.ask("\nApply these " + plan.actions().size() + " change(s)?");
            if (answer.isEmpty()) {
                String why = "no terminal to confirm on: re-run with --yes to apply, or --dry-run to only see the plan";
                out.report().println("\nNot applied: " + why);
                doc.set(key, JsonReport.fix(plan, null, why));
                return TriageCommand.PROBLEM;
            }
            if (!answer.get()) {
                out.report().println(earlierJournalId == null ? "Not applied; nothing was changed."
                        : "This step was not taken. The change before it stays applied (undo with: triage undo "
                        + earlierJournalId + "), and is not in effect until this step is done.");
                doc.set(key, JsonReport.fix(plan, null, "declined"));
                return TriageCommand.PROBLEM;
            }
        }
        try {
            FixRunner.Outcome o = run.apply(scenario, d, plan, Duration.ofSeconds(Math.max(10, runOptions.timeoutSeconds / 2)),
                    line -> out.progress().println("  " + line));
            doc.set(key, JsonReport.fix(plan, o, null));
            lastApplied = (o.nothingToChange() || o.applied()) && !o.rolledBack();
            lastJournalId = o.journalId();
            if (o.nothingToChange()) {
                out.report().println("\nNothing to change" + (o.verified() ? "; verification passes." : "; but verification "
                        + (o.verification() == null ? "is not possible here." : "still fails: " + o.verification().summary())));
                return o.verified() ? TriageCommand.HEALTHY : TriageCommand.PROBLEM;
            }
            if (o.rolledBack()) {
                boolean restarted = plan.actions().stream().anyMatch(a -> !a.reversible());
                out.report().println("\nRolled back: " + (o.error() != null ? o.error() : "verification failed: "
                        + o.verification().summary()) + (restarted ? ". A restart cannot be taken back" + (earlierJournalId == null ? "."
                        : "; the change before it (" + earlierJournalId + ") stays applied: undo it with triage undo "
                        + earlierJournalId + ", then restart again to load the restored file.")
                        : ". The system is as before."));
                return TriageCommand.PROBLEM;
            }
            out.report().println("\nApplied " + o.changes() + " change(s) as " + o.journalId()
                    + (o.verified() ? "; verified: " + o.verification().summary() : "; not verifiable by triage: check by hand")
                    + ".\nUndo with: triage undo " + o.journalId());
            return o.verified() ? TriageCommand.HEALTHY : TriageCommand.APPLIED_UNVERIFIED;
        } catch (FixException e) {
            out.report().println("\nNot applied: " + e.getMessage());
            doc.set(key, JsonReport.fix(plan, null, e.getMessage()));
            return TriageCommand.PROBLEM;
        }
    }
}
