package dev.triage.fix.flow;

import dev.triage.engine.ExitCodes;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;

/**
 * How one step of the fix flow ended: the faces render it and the command line returns its exit
 * code, so none of them decodes {@link FixRunner.Outcome} itself.
 */
public sealed interface FixResult {

    /** The plan of the step; null when no plan was chosen at all. */
    FixPlan plan();

    /** The exit code of 'triage fix' when this is the last step. */
    int exitCode();

    /** The system is as the plan wants it (applied and kept, or there was nothing to change). */
    default boolean inEffect() {
        return false;
    }

    /** No fix to apply: nothing is wrong, no verdict, or the chosen one is not available here. */
    record NotOffered(FixPlan plan, String why, int exitCode) implements FixResult { }

    /** --dry-run: the plan was shown, nothing was asked or changed. */
    record DryRun(FixPlan plan) implements FixResult {
        public int exitCode() { return ExitCodes.PROBLEM; }
    }

    /** There was no one to ask (no terminal, and no --yes). */
    record NoOneToAsk(FixPlan plan) implements FixResult {
        public static final String WHY = "no terminal to confirm on: re-run with --yes to apply, or --dry-run to only see the plan";

        public int exitCode() { return ExitCodes.PROBLEM; }
    }

    /** The admin said no; {@code earlierJournalId} names the step before a follow-up, which stays applied. */
    record Declined(FixPlan plan, String earlierJournalId) implements FixResult {
        public int exitCode() { return ExitCodes.PROBLEM; }
    }

    /** Refused before any change (the journal is locked, an action cannot run here). */
    record NotApplied(FixPlan plan, String error) implements FixResult {
        public int exitCode() { return ExitCodes.PROBLEM; }
    }

    /** Already as the plan wants it; nothing was changed or journaled. */
    record NothingToChange(FixPlan plan, FixRunner.Outcome outcome) implements FixResult {
        public int exitCode() { return outcome.verified() ? ExitCodes.HEALTHY : ExitCodes.PROBLEM; }

        @Override
        public boolean inEffect() { return true; }

        public StepResult verification() { return outcome.verification(); }
    }

    /** Applied, then taken back (verification failed, an action failed, a signal). */
    record RolledBack(FixPlan plan, FixRunner.Outcome outcome, String earlierJournalId) implements FixResult {
        public int exitCode() { return ExitCodes.PROBLEM; }

        /** Why, in words: the error, or the verification's summary. */
        public String why() {
            return outcome.error() != null ? outcome.error() : "verification failed: " + outcome.verification().summary();
        }

        /** A restart was part of it, which no rollback takes back. */
        public boolean restarted() {
            return plan.actions().stream().anyMatch(a -> !a.reversible());
        }
    }

    /** Applied and kept, verified or (without a verify test) to be checked by hand. */
    record Applied(FixPlan plan, FixRunner.Outcome outcome) implements FixResult {
        public int exitCode() { return outcome.verified() ? ExitCodes.HEALTHY : ExitCodes.APPLIED_UNVERIFIED; }

        @Override
        public boolean inEffect() { return true; }

        public String journalId() { return outcome.journalId(); }

        public boolean verified() { return outcome.verified(); }

        /** Whether 'undo' can take something back (a restart alone cannot). */
        public boolean undoable() { return plan.actions().stream().anyMatch(dev.triage.fix.FixAction::reversible); }
    }

    /**
     * The plan's follow-up ({@code then:}, a restart that loads the changed file) cannot be done
     * here: the change is made but not in effect yet. {@code next} is null when it is not offered.
     */
    record StillToDo(FixPlan plan, String then, FixPlan next) implements FixResult {
        public int exitCode() { return ExitCodes.PROBLEM; }

        /** "Restart the mail server container (triage can do it with container=...)". */
        public String what() {
            return next == null ? then : next.title() + (next.unavailable() == null ? ""
                    : " (triage can do it with " + next.unavailable().replace("needs ", "") + ")");
        }
    }
}
