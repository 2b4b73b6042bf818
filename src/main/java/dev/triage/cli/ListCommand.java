package dev.triage.cli;

import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.Triage;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the scenarios (symptoms) triage knows.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    TriageCommand root;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Triage triage = root.triage();
        Streams io = root.streams();
        triage.scenarios().problems().forEach(p -> io.err().println("warning: " + p));
        if (json) {
            ArrayNode list = JsonReport.JSON.createArrayNode();
            for (Scenario s : triage.scenarios().scenarios().values()) {
                ObjectNode n = list.addObject();
                n.put("id", s.id());
                n.put("title", s.title());
                n.put("symptom", s.symptom());
                n.put("incident", s.incident().id());
                n.put("incidentFile", s.incident().file());
                n.put("source", s.source());
                ArrayNode inputs = n.putArray("inputs");
                for (InputSpec i : s.inputs()) {
                    ObjectNode in = inputs.addObject();
                    in.put("name", i.name());
                    in.put("prompt", i.prompt());
                    in.put("default", i.defaultValue());
                    in.put("required", i.required());
                    in.put("help", i.help());
                }
            }
            io.rawOut().println(JsonReport.JSON.writeValueAsString(list));
            return 0;
        }
        for (Scenario s : triage.scenarios().scenarios().values()) {
            io.out().println(s.id() + "  -  " + s.title());
            io.out().println("    symptom:  " + s.symptom());
            io.out().println("    incident: " + s.incident().id() + (s.incident().file() == null ? "" : " (" + s.incident().file() + ")"));
            Triage.describeInputs(s).forEach(l -> io.out().println("    --set " + l));
            io.out().println();
        }
        return 0;
    }
}
