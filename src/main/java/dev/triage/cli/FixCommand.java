package dev.triage.cli;

import dev.triage.report.Commands;
import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.engine.Diagnosis;
import dev.triage.fix.FixPlan;
import dev.triage.fix.flow.FixFlow;
import dev.triage.fix.flow.FixResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "fix", mixinStandardHelpOptions = true,
        description = {"Diagnose, then show the fix plan exactly and ask before changing anything.",
                "An applied fix is verified on fresh probe resources and rolled back by itself if verification fails.",
                "'triage undo' reverts it later; 'triage history' lists what was applied."},
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
        @Option(names = "--dry-run", description = "Show the plan and stop without changing anything.")
        boolean dryRun;

        @Option(names = "--yes", description = "Apply without asking (required when there is no terminal).")
        boolean yes;
    }

    @Option(names = "--choose", paramLabel = "FIX", description = "Apply the fix with this id instead of the first one offered.")
    String choose;

    @Override
    public Integer call() throws Exception {
        Output out = output();
        try (var session = open(out)) {
            Diagnosis d = diagnose(session, out);
            List<FixPlan> plans = session.plans();
            HumanReport.verdict(out.report(), scenario, d, plans, false, session.commands());
            ObjectNode doc = session.reportJson();
            // the flow decides; this face shows each plan, asks on the terminal and says how it went
            FixFlow flow = session.fixFlow();
            FixFlow.Step step = flow.begin(choose);
            int shown = 0;
            while (step instanceof FixFlow.Question q) {
                shown = render(out.report(), flow.results(), shown, d);
                if (q.followUp()) {
                    out.report().println("\nThen, as its own step:");
                }
                showPlan(out.report(), q.plan());
                step = mode.dryRun ? flow.dryRun(q) : mode.yes ? flow.apply(q, line -> out.progress().println("  " + line))
                        : ask(flow, q, out);
            }
            render(out.report(), flow.results(), shown, d);
            String key = "fix";
            for (FixResult r : flow.results()) {
                ObjectNode fixJson = JsonReport.fix(r);
                if (fixJson != null) {
                    doc.set(key, fixJson);
                    key = "then";
                }
            }
            if (json) {
                out.json().println(JsonReport.JSON.writeValueAsString(doc));
            }
            return ((FixFlow.Done) step).result().exitCode();
        }
    }

    private FixFlow.Step ask(FixFlow flow, FixFlow.Question q, Output out) {
        out.report().flush();
        var answer = Confirmation.ask("\nApply these " + q.plan().actions().size() + " change(s)?");
        if (answer.isEmpty()) {
            return flow.noOneToAsk(q);
        }
        return answer.get() ? flow.apply(q, line -> out.progress().println("  " + line)) : flow.decline(q);
    }

    private static void showPlan(PrintStream out, FixPlan plan) {
        out.println();
        out.println("Plan: " + plan.title() + " (" + plan.id() + ")");
        if (plan.description() != null) {
            HumanReport.wrap(plan.description(), 76).forEach(l -> out.println("  " + l));
        }
        plan.preview().forEach(l -> out.println("  " + l));
        if (plan.warning() != null) {
            out.println("  WARNING: " + plan.warning());
        }
    }

    /** Says how each step went that was not said yet; returns how many are said. */
    private static int render(PrintStream out, List<FixResult> results, int shown, Diagnosis d) {
        for (FixResult r : results.subList(shown, results.size())) {
            render(out, r, d);
        }
        return results.size();
    }

    private static void render(PrintStream out, FixResult r, Diagnosis d) {
        if (r instanceof FixResult.NotOffered n) {
            out.println(d.status() == Diagnosis.Status.HEALTHY ? "\nNothing to fix."
                    : d.status() == Diagnosis.Status.INCONCLUSIVE ? "\nNo fix without a verdict." : "\n" + n.why());
        } else if (r instanceof FixResult.NoOneToAsk) {
            out.println("\nNot applied: " + FixResult.NoOneToAsk.WHY);
        } else if (r instanceof FixResult.Declined dec) {
            out.println(dec.earlierJournalId() == null ? "Not applied; nothing was changed."
                    : "This step was not taken. The change before it stays applied (undo with: "
                    + Commands.undo(dec.earlierJournalId()) + "), and is not in effect until this step is done.");
        } else if (r instanceof FixResult.NotApplied n) {
            out.println("\nNot applied: " + n.error());
        } else if (r instanceof FixResult.NothingToChange n) {
            out.println("\nNothing to change" + (n.outcome().verified() ? "; verification passes." : "; but verification "
                    + (n.verification() == null ? "is not possible here." : "still fails: " + n.verification().summary())));
        } else if (r instanceof FixResult.RolledBack b) {
            String earlier = b.earlierJournalId();
            out.println("\nRolled back: " + b.why() + (b.restarted() ? ". A restart cannot be taken back" + (earlier == null ? "."
                    : "; the change before it (" + earlier + ") stays applied: undo it with "
                    + Commands.undo(earlier) + ", then restart again to load the restored file.")
                    : ". The system is as before."));
        } else if (r instanceof FixResult.Applied a) {
            out.println("\nApplied " + a.outcome().changes() + " change(s) as " + a.journalId()
                    + (a.verified() ? "; verified: " + a.outcome().verification().summary() : "; not verifiable by triage: check by hand")
                    + ".\nUndo with: " + Commands.undo(a.journalId()));
        } else if (r instanceof FixResult.StillToDo s) {
            out.println("\nStill to do: " + s.what());
        }
        // DryRun: the plan shown is all there is to say
    }
}
