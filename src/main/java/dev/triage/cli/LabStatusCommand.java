package dev.triage.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.lab.LabState;
import dev.triage.report.JsonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the running lab, since when it runs, and how many hints were used.")
final class LabStatusCommand implements Callable<Integer> {
    @ParentCommand
    LabCommand lab;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Streams io = lab.streams();
        lab.labs().recoverInterrupted(line -> io.err().println("  " + line))
                .ifPresent(r -> r.problemLines().forEach(line -> io.err().println("  " + line)));
        Optional<LabState> state = lab.labs().current();
        if (json) {
            ObjectNode doc = JsonReport.JSON.createObjectNode();
            doc.put("running", state.isPresent());
            if (state.isPresent()) {
                LabState s = state.get();
                doc.put("lab", s.lab);
                doc.put("phase", s.phase);
                doc.put("startedAt", s.startedAt);
                doc.put("seconds", Duration.between(Instant.parse(s.startedAt), Instant.now()).toSeconds());
                doc.put("hintsUsed", s.hintsUsed);
                ObjectNode inputs = doc.putObject("inputs");
                s.inputs.forEach(inputs::put);
            }
            io.rawOut().println(JsonReport.JSON.writeValueAsString(doc));
            return state.isPresent() ? 0 : 1;
        }
        if (state.isEmpty()) {
            io.out().println("No lab is running (triage lab list, triage lab start LAB).");
            return 1;
        }
        LabState s = state.get();
        long minutes = Duration.between(Instant.parse(s.startedAt), Instant.now()).toMinutes();
        io.out().println("Lab " + s.lab + (s.phase.equals("running") ? "" : " (" + s.phase + ")") + ", started " + s.startedAt
                + " (" + minutes + " min ago), hints used: " + s.hintsUsed);
        return 0;
    }
}
