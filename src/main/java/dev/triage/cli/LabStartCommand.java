package dev.triage.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.lab.LabException;
import dev.triage.lab.Labs;
import dev.triage.report.JsonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Build the lab's sandbox and break it. Prints what you would see in real life, not the cause.",
                "Ctrl-C while it builds restores everything."})
final class LabStartCommand implements Callable<Integer> {
    @ParentCommand
    LabCommand lab;

    @Parameters(index = "0", paramLabel = "LAB", description = "The lab's id, as 'triage lab list' shows it.")
    String id;

    @Option(names = "--json", description = "Print one JSON document on stdout (with the scenario and the inputs to diagnose with).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Streams io = lab.streams();
        Labs.Started started;
        try {
            started = lab.labs().start(id, line -> io.err().println("  " + line));
        } catch (LabException e) {
            io.err().println("triage lab start: " + dev.triage.host.Failures.words(e));
            return 1;
        }
        if (json) {
            ObjectNode doc = JsonReport.JSON.createObjectNode();
            doc.put("lab", started.lab().id());
            doc.put("title", started.lab().title());
            doc.put("symptom", started.lab().symptom());
            doc.put("scenario", started.lab().scenario());
            ObjectNode inputs = doc.putObject("inputs");
            started.state().inputs.forEach(inputs::put);
            doc.putNull("netns"); // every lab so far is diagnosed from the host's own namespace
            doc.put("startedAt", started.state().startedAt);
            io.rawOut().println(JsonReport.JSON.writeValueAsString(doc));
            return 0;
        }
        io.out().println("Lab " + started.lab().id() + " is ready: " + started.lab().title());
        io.out().println();
        io.out().println("What you see:");
        io.out().println("  " + started.lab().symptom());
        io.out().println();
        io.out().println("What you have (the values to give the wizard or diagnose):");
        started.state().inputs.forEach((k, v) -> io.out().println("  " + k + " = " + v));
        io.out().println();
        io.out().println("Find the cause with triage (the wizard, or: triage diagnose " + started.lab().scenario() + " --set ...),");
        io.out().println("repair it, then: triage lab check --answer VERDICT. Stuck: triage lab hint. Done: triage lab stop.");
        return 0;
    }
}
