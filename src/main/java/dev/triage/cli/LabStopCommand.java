package dev.triage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.lab.LabException;
import dev.triage.report.JsonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Restore everything: the fixes applied to the lab are taken back, the sandbox is removed, and rules and sysctls are as before.")
final class LabStopCommand implements Callable<Integer> {
    @ParentCommand
    LabCommand lab;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Streams io = lab.streams();
        String id = lab.labs().current().map(s -> s.lab).orElse(null);
        List<String> problems;
        try {
            problems = lab.labs().stop(line -> io.err().println("  " + line));
        } catch (LabException e) {
            io.err().println("triage lab stop: " + dev.triage.host.Failures.words(e));
            return 1;
        }
        if (json) {
            ObjectNode doc = JsonReport.JSON.createObjectNode();
            doc.put("lab", id);
            doc.put("restored", problems.isEmpty());
            ArrayNode p = doc.putArray("problems");
            problems.forEach(p::add);
            io.rawOut().println(JsonReport.JSON.writeValueAsString(doc));
        } else if (problems.isEmpty()) {
            io.out().println("Lab " + id + " stopped; everything it changed is restored.");
        } else {
            io.out().println("Lab " + id + " stopped, but not everything was restored: " + String.join("; ", problems));
            io.out().println("Run triage lab stop again once the cause is gone.");
        }
        return problems.isEmpty() ? 0 : 1;
    }
}
