package dev.triage.cli;

import dev.triage.lab.LabException;
import dev.triage.lab.Labs;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "hint", mixinStandardHelpOptions = true,
        description = "Show the next hint: first what to look at, then which test, then the command. Hints are counted in the grade.")
final class LabHintCommand implements Callable<Integer> {
    @ParentCommand
    LabCommand lab;

    @Override
    public Integer call() {
        try {
            Labs.Hint h = lab.labs().hint();
            lab.streams().out().println("Hint " + h.number() + " of " + h.of() + ": " + h.text());
            return 0;
        } catch (LabException e) {
            lab.streams().err().println("triage lab hint: " + dev.triage.host.Failures.words(e));
            return 1;
        }
    }
}
