package dev.triage.cli;

import dev.triage.fix.FixException;
import dev.triage.fix.FixRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Revert the last applied fix, or the one named, from the journal (files restored byte for byte).")
final class UndoCommand implements Callable<Integer> {
    @ParentCommand
    TriageCommand root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "Journal id printed by 'triage fix'.")
    String id;

    @Override
    public Integer call() {
        try {
            FixRunner.UndoOutcome o = root.triage().undo(id, line -> root.streams().err().println("  " + line));
            if (o.problems().isEmpty()) {
                root.streams().out().println("Undone: " + o.journalId());
                return 0;
            }
            root.streams().out().println("Undo of " + o.journalId() + " incomplete: " + String.join("; ", o.problems()));
            return 1;
        } catch (FixException e) {
            root.streams().err().println("triage undo: " + e.getMessage());
            return 1;
        }
    }
}
