package dev.triage.cli;

import dev.triage.lab.Labs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code triage lab ...}: practice on a sandbox broken the way an incident was, and be graded. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Practise on a disposable sandbox broken the way an incident was: diagnose it, repair it, and get graded.",
                "Everything a lab creates is labelled or names only the lab's own bridge, and is restored by 'triage lab stop'."},
        subcommands = {LabListCommand.class, LabStartCommand.class, LabStatusCommand.class, LabHintCommand.class,
                LabCheckCommand.class, LabStopCommand.class, CommandLine.HelpCommand.class})
final class LabCommand implements Runnable {
    @ParentCommand
    TriageCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Labs labs;

    Labs labs() {
        if (labs == null) {
            labs = new Labs(root.triage());
        }
        return labs;
    }

    /** The root command's streams: every lab subcommand writes there, as every other command does. */
    Streams streams() {
        return root.streams();
    }

    @Override
    public void run() {
        spec.commandLine().usage(streams().out());
    }
}
