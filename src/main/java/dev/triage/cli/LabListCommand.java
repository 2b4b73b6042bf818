package dev.triage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.lab.Lab;
import dev.triage.report.JsonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List the labs, and what each one needs that this machine lacks.")
final class LabListCommand implements Callable<Integer> {
    @ParentCommand
    LabCommand lab;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Streams io = lab.streams();
        var repo = lab.labs().repository();
        repo.problems().forEach(p -> io.err().println("warning: " + p));
        ArrayNode list = JsonReport.JSON.createArrayNode();
        for (Lab l : repo.labs().values()) {
            List<String> missing = lab.labs().missing(l);
            if (json) {
                ObjectNode n = list.addObject();
                n.put("id", l.id());
                n.put("title", l.title());
                n.put("incident", l.incident());
                n.put("scenario", l.scenario());
                n.put("verdict", l.verdict());
                n.put("difficulty", l.difficulty());
                ArrayNode needs = n.putArray("needs");
                l.needs().forEach(need -> needs.add(need.id()));
                ArrayNode miss = n.putArray("missing");
                missing.forEach(miss::add);
                n.put("ready", missing.isEmpty());
            } else {
                io.out().println(l.id() + "  -  " + l.title());
                io.out().println("    incident " + l.incident() + ", scenario " + l.scenario() + ", " + l.difficulty());
                io.out().println("    needs: " + String.join(", ", l.needs().stream().map(Lab.Need::words).toList()));
                io.out().println(missing.isEmpty() ? "    ready on this machine" : "    cannot run here, missing: " + String.join("; ", missing));
                io.out().println();
            }
        }
        if (json) {
            io.rawOut().println(JsonReport.JSON.writeValueAsString(list));
        }
        return 0;
    }
}
