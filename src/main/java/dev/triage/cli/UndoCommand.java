package dev.triage.cli;

import dev.triage.fix.FixException;
import dev.triage.fix.FixRunner;
import dev.triage.fix.Journal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = {"Revert a fix from the journal: files are restored byte for byte and rules put back.",
                "Without an ID it is the newest fix that can be taken back: triage shows what it will revert and asks first."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reverted (or, with --dry-run, shown)", "1:not reverted (nothing to undo, declined, no terminal"
                + " without --yes, or a step could not be reverted)", "64:usage error"})
final class UndoCommand implements Callable<Integer> {
    @ParentCommand
    TriageCommand root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The journal id that 'triage fix' printed (see 'triage history').")
    String id;

    @CommandLine.ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--dry-run", description = "Show exactly what undo would restore, and change nothing.")
        boolean dryRun;

        @Option(names = "--yes", description = "Revert without asking (required without an ID when there is no terminal).")
        boolean yes;
    }

    @Override
    public Integer call() {
        var out = root.streams().out();
        var err = root.streams().err();
        try {
            Optional<Journal.Entry> entry = Journal.find(id, root.triage().journal().entries());
            // what undo would refuse (nothing to undo, already undone) is said by undo itself, below
            if (entry.isPresent() && entry.get().state().open() && (id == null || mode.dryRun)) {
                Journal.Entry e = entry.get();
                out.println("Undo of " + e.id() + " (" + e.fix() + (e.title() == null ? "" : ": " + e.title()) + "; scenario "
                        + e.scenario() + ", applied " + HistoryCommand.UTC.format(Instant.parse(e.appliedAt())) + ") will:");
                FixRunner.undoPreview(e).forEach(l -> out.println("  " + l));
                if (mode.dryRun) {
                    out.println("Dry run: nothing was changed. Revert it with: " + dev.triage.report.Commands.undo(e.id()));
                    return 0;
                }
                if (!mode.yes) {
                    out.flush();
                    Optional<Boolean> answer = root.streams().processStreams() ? Confirmation.ask("Revert it?") : Optional.empty();
                    if (answer.isEmpty()) {
                        err.println("triage undo: there is no terminal to ask on, so nothing was changed. To revert it, run: "
                                + "triage undo --yes (or name it: " + dev.triage.report.Commands.undo(e.id()) + ")");
                        return 1;
                    }
                    if (!answer.get()) {
                        out.println("Not undone; nothing was changed.");
                        return 1;
                    }
                }
                id = e.id(); // exactly the fix that was shown, even if another one is applied meanwhile
            }
            FixRunner.UndoOutcome o = mode.dryRun ? dryRunRefusal() : root.triage().undo(id, line -> err.println("  " + line));
            if (o.problems().isEmpty()) {
                out.println("Undone: " + o.journalId());
                return 0;
            }
            out.println("Undo of " + o.journalId() + " incomplete: " + String.join("; ", o.problems()));
            return 1;
        } catch (FixException e) {
            err.println("triage undo: " + dev.triage.host.Failures.words(e));
            return 1;
        }
    }

    /** A dry run of a fix that cannot be undone: the reason undo would give. */
    private FixRunner.UndoOutcome dryRunRefusal() throws FixException {
        Optional<Journal.Entry> entry = Journal.find(id, root.triage().journal().entries());
        if (entry.isEmpty()) {
            throw new FixException(id == null ? "nothing to undo: no applied fix in " + root.triage().journal().dir()
                    : "no fix '" + id + "' in " + root.triage().journal().dir());
        }
        throw new FixException("fix " + entry.get().id() + " is " + entry.get().state().words() + "; there is nothing to revert");
    }
}
