package dev.triage.fix;

import dev.triage.engine.StepResult;
import dev.triage.host.HostSystem;
import dev.triage.scenario.FixSpec;
import org.tinylog.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies a confirmed plan: skips what is already as wanted (so a second run changes nothing and
 * records nothing), journals each change as it is made, verifies on fresh probe resources, and
 * rolls back by itself when verification fails or an action errors.
 */
public final class FixRunner {
    private final Journal journal;
    private final HostSystem host;
    private final ContainerControl containers;

    public FixRunner(Journal journal, HostSystem host) {
        this(journal, host, ContainerControl.NONE);
    }

    public FixRunner(Journal journal, HostSystem host, ContainerControl containers) {
        this.journal = journal;
        this.host = host;
        this.containers = containers;
    }

    /** Runs the verification test again on fresh resources; supplied by the face that owns the engine. */
    public interface Verifier {
        StepResult verify(FixSpec.VerifySpec spec);
    }

    public record Outcome(String journalId, boolean applied, boolean verified, boolean rolledBack, boolean nothingToChange,
                          int changes, StepResult verification, String error) { }

    public record UndoOutcome(String journalId, int reverted, List<String> problems) { }

    public Outcome apply(String scenario, String verdict, FixPlan plan, Verifier verifier, Consumer<String> progress)
            throws FixException {
        return apply(scenario, verdict, plan, verifier, progress, () -> false);
    }

    /**
     * As above; {@code stop} is asked between actions and after verification (Ctrl-C, SIGHUP): when
     * it says so, what was applied is rolled back and journaled, and nothing more is changed.
     */
    public Outcome apply(String scenario, String verdict, FixPlan plan, Verifier verifier, Consumer<String> progress,
                         java.util.function.BooleanSupplier stop) throws FixException {
        try (AutoCloseable ignored = journal.lock()) {
            sweepTemporaryFiles(journal.read(), progress);
            return applyLocked(scenario, verdict, plan, verifier, progress, stop);
        } catch (FixException e) {
            throw e;
        } catch (Exception e) {
            throw new FixException("fix journal: " + e.getMessage());
        }
    }

    private Outcome applyLocked(String scenario, String verdict, FixPlan plan, Verifier verifier, Consumer<String> progress,
                                java.util.function.BooleanSupplier stop) throws FixException {
        // Each action is checked right before it would run: a later one may depend on an earlier
        // one (a sysctl under /proc/sys/net/bridge exists only once br_netfilter is loaded).
        Journal.Entry entry = null;
        FixHost fixHost = null;
        List<Journal.Step> done = new ArrayList<>();
        for (FixAction action : plan.actions()) {
            if (stop.getAsBoolean()) {
                if (entry == null) {
                    return new Outcome(null, false, false, false, false, 0, null, "interrupted before any change");
                }
                return failed(entry, fixHost, done, new FixException("interrupted"), progress);
            }
            boolean needed;
            try {
                needed = action.onlyAfterChange() ? !done.isEmpty() : action.needed(new FixHost(host, journal.dir(), containers));
            } catch (FixException e) {
                if (entry == null) {
                    throw e;
                }
                return failed(entry, fixHost, done, e, progress);
            }
            if (!needed) {
                progress.accept("already done: " + action.describe());
                continue;
            }
            if (entry == null) {
                entry = journal.begin(scenario, verdict, plan.id(), plan.title());
                fixHost = new FixHost(host, journal.backupDir(entry.id()), containers);
            }
            Journal.Step pending = null;
            try {
                // the intent (with the backup) is journaled before the change: an undo after a crash at any point restores
                pending = new Journal.Step(action, action.intent(fixHost), true);
                journal.save(entry.with(Journal.State.APPLYING, append(done, pending), null));
                progress.accept("applying: " + action.describe());
                Map<String, String> undo = action.apply(fixHost, pending.undo());
                progress.accept("changed: " + action.describe());
                done.add(new Journal.Step(action, undo));
                entry = entry.with(Journal.State.APPLYING, List.copyOf(done), null);
                journal.save(entry);
                Logger.info("fix {} applied: {}", entry.id(), action.describe());
            } catch (FixException e) {
                if (pending != null) {
                    done.add(pending); // it may have changed part of it: its undo is safe either way
                }
                return failed(entry, fixHost, done, e, progress);
            }
        }
        if (entry == null) {
            progress.accept("nothing to change: the system is already as this fix would leave it");
            StepResult check = plan.verify() == null ? null : verifier.verify(plan.verify());
            boolean ok = check != null && plan.verify().expect().contains(check.outcome());
            return new Outcome(null, false, ok, false, true, 0, check, null);
        }
        StepResult check = null;
        boolean verified = false;
        if (plan.verify() != null) {
            progress.accept("verifying: test '" + plan.verify().test() + "' on fresh probe resources"
                    + (plan.verify().within().isZero() ? "" : ", for up to " + plan.verify().within().toSeconds() + " s"));
            check = verifyWithin(plan.verify(), verifier, stop);
            boolean passed = plan.verify().expect().contains(check.outcome());
            verified = passed && !stop.getAsBoolean();
            if (!verified) {
                // a signal after a passing verification still rolls back, as asked, but never says the fix failed
                String why = passed ? "stopped by a signal after the verification passed"
                        : "verification failed (" + check.outcome() + ": " + check.summary() + ")";
                progress.accept(why + "; rolling back");
                List<String> problems = revert(fixHost, done, progress);
                journal.save(entry.with(Journal.State.ROLLED_BACK, List.copyOf(done), passed ? why : "verification failed: " + check.summary()));
                String error = passed ? why : null;
                if (!problems.isEmpty()) {
                    error = (error == null ? "" : error + "; ") + "rollback problems: " + problems;
                }
                return new Outcome(entry.id(), true, false, true, false, done.size(), check, error);
            }
        }
        journal.save(entry.with(Journal.State.APPLIED, List.copyOf(done), plan.verify() == null ? "not verifiable by triage" : null));
        return new Outcome(entry.id(), true, verified, false, false, done.size(), check, null);
    }

    /** Repeats the verification test until it passes or {@code within} has passed (one try when zero). */
    private static StepResult verifyWithin(FixSpec.VerifySpec spec, Verifier verifier, java.util.function.BooleanSupplier stop) {
        long end = System.nanoTime() + spec.within().toNanos();
        while (true) {
            StepResult check = verifier.verify(spec);
            if (spec.expect().contains(check.outcome()) || System.nanoTime() >= end || stop.getAsBoolean()) {
                return check;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return check;
            }
        }
    }

    private static List<Journal.Step> append(List<Journal.Step> done, Journal.Step next) {
        List<Journal.Step> all = new ArrayList<>(done);
        all.add(next);
        return List.copyOf(all);
    }

    /** Under the journal lock: temporary files that runs killed mid-write left next to the files they edit. */
    private void sweepTemporaryFiles(Journal.Listing listing, Consumer<String> progress) {
        journal.sweepTemporaryEntries();
        for (java.nio.file.Path f : TempFiles.sweep(listing.entries())) {
            progress.accept("removed " + f + ", left by a run that was killed");
        }
    }

    private void reportUnreadable(Journal.Listing listing, Consumer<String> progress) {
        for (String bad : listing.unreadable()) {
            progress.accept("skipped an unreadable journal entry: " + bad);
        }
    }

    private Outcome failed(Journal.Entry entry, FixHost fixHost, List<Journal.Step> done, FixException e,
                           Consumer<String> progress) throws FixException {
        progress.accept("failed: " + e.getMessage() + "; rolling back");
        List<String> problems = revert(fixHost, done, progress);
        journal.save(entry.with(Journal.State.ROLLED_BACK, List.copyOf(done), "apply failed: " + e.getMessage()));
        return new Outcome(entry.id(), false, false, true, false, done.size(), null,
                e.getMessage() + (problems.isEmpty() ? "" : "; rollback problems: " + problems));
    }

    /** Reverts the named entry, or the newest applied one. */
    public UndoOutcome undo(String id, Consumer<String> progress) throws FixException {
        try (AutoCloseable ignored = journal.lock()) {
            Journal.Listing listing = journal.read();
            reportUnreadable(listing, progress);
            sweepTemporaryFiles(listing, progress);
            String skipped = listing.unreadable().isEmpty() ? ""
                    : " (" + listing.unreadable().size() + " unreadable journal entr" + (listing.unreadable().size() == 1 ? "y" : "ies")
                    + " skipped)";
            Journal.Entry entry = Journal.find(id, listing.entries()).orElseThrow(() -> new FixException(id == null
                    ? "nothing to undo: no applied fix in " + journal.dir() + skipped
                    : "no fix '" + id + "' in " + journal.dir() + skipped));
            if (!entry.state().open()) {
                throw new FixException("fix " + entry.id() + " is already " + entry.state().json());
            }
            if (entry.steps().stream().noneMatch(s -> s.action().reversible())) {
                throw new FixException("fix " + entry.id() + " only restarted something, which cannot be taken back;"
                        + " undo the fix that changed the configuration, then restart again");
            }
            FixHost fixHost = new FixHost(host, journal.backupDir(entry.id()), containers);
            List<String> problems = revert(fixHost, entry.steps(), progress);
            journal.save(entry.with(problems.isEmpty() ? Journal.State.UNDONE : Journal.State.UNDO_INCOMPLETE, entry.steps(),
                    problems.isEmpty() ? null : String.join("; ", problems)));
            return new UndoOutcome(entry.id(), entry.steps().size() - problems.size(), problems);
        } catch (FixException e) {
            throw e;
        } catch (Exception e) {
            throw new FixException("fix journal: " + e.getMessage());
        }
    }

    /** What undoing {@code entry} will do, step by step in the order undo takes them (the last change first). */
    public static List<String> undoPreview(Journal.Entry entry) {
        List<String> lines = new ArrayList<>();
        List<Journal.Step> reversed = new ArrayList<>(entry.steps());
        Collections.reverse(reversed);
        for (Journal.Step step : reversed) {
            lines.add("- " + step.action().describe());
            step.action().undoPreview(step.undo()).forEach(l -> lines.add("    " + l));
        }
        return lines;
    }

    private static List<String> revert(FixHost host, List<Journal.Step> steps, Consumer<String> progress) {
        List<String> problems = new ArrayList<>();
        List<Journal.Step> reversed = new ArrayList<>(steps);
        Collections.reverse(reversed);
        for (Journal.Step step : reversed) {
            if (!step.action().reversible()) {
                progress.accept("cannot be undone (nothing to revert): " + step.action().describe());
                continue;
            }
            try {
                step.action().undo(host, step.undo());
                progress.accept("reverted: " + step.action().describe());
                Logger.info("reverted: {}", step.action().describe());
            } catch (FixException e) {
                problems.add(e.getMessage());
                progress.accept("could not revert: " + e.getMessage());
            }
        }
        return problems;
    }
}
