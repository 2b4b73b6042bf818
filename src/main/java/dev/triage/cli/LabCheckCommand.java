package dev.triage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.lab.LabException;
import dev.triage.lab.Labs;
import dev.triage.report.JsonReport;
import dev.triage.scenario.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Grade the lab: whether your answer names the cause, and whether the fault is repaired (the lab's scenario is healthy again).",
                "It also checks that nothing outside the sandbox changed (collateral)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:answer right (or not given), repaired, no collateral", "1:something is not right yet"})
final class LabCheckCommand implements Callable<Integer> {
    @ParentCommand
    LabCommand lab;

    @Option(names = "--answer", paramLabel = "VERDICT_ID",
            description = "The cause you found: a verdict id (as diagnose --json prints it). On a terminal without it, pick from a list.")
    String answer;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Streams io = lab.streams();
        Labs labs = lab.labs();
        // only on the process's own streams may a terminal be behind them (as undo asks only there)
        if (answer == null && !json && io.processStreams() && System.console() != null) {
            answer = pick(labs, io.out());
        }
        Labs.Check c;
        try {
            c = labs.check(answer, line -> io.err().println("  " + line));
        } catch (LabException e) {
            io.err().println("triage lab check: " + dev.triage.host.Failures.words(e));
            return 1;
        }
        boolean passed = !Boolean.FALSE.equals(c.answerCorrect()) && c.fixed() && c.collateral().isEmpty();
        if (json) {
            ObjectNode doc = JsonReport.JSON.createObjectNode();
            doc.put("lab", c.lab());
            if (c.answer() == null) {
                doc.putNull("answer");
                doc.putNull("answerCorrect");
            } else {
                doc.put("answer", c.answer());
                doc.put("answerCorrect", c.answerCorrect());
            }
            doc.put("fixed", c.fixed());
            if (c.verdictNow() == null) {
                doc.putNull("verdictNow");
            } else {
                doc.put("verdictNow", c.verdictNow());
            }
            if (c.why() != null) {
                doc.put("why", c.why());
            }
            ArrayNode col = doc.putArray("collateral");
            c.collateral().forEach(col::add);
            doc.put("hintsUsed", c.hintsUsed());
            doc.put("seconds", c.seconds());
            doc.put("passed", passed);
            io.rawOut().println(JsonReport.JSON.writeValueAsString(doc));
            return passed ? 0 : 1;
        }
        io.out().println("Lab " + c.lab() + ", " + c.seconds() / 60 + " min " + c.seconds() % 60 + " s, hints used: " + c.hintsUsed());
        if (c.answer() == null) {
            io.out().println("  Cause:      not graded (give it with --answer VERDICT_ID)");
        } else {
            io.out().println("  Cause:      " + (c.answerCorrect() ? "right" : "not right") + " (" + c.answer() + ")");
        }
        io.out().println("  Repaired:   " + (c.fixed() ? "yes, the scenario finds it healthy"
                : "not yet (the scenario still finds: " + (c.verdictNow() == null ? "no verdict: " + c.why() : c.verdictNow()) + ")"));
        io.out().println("  Collateral: " + (c.collateral().isEmpty() ? "none" : c.collateral().size() + " change(s) outside the sandbox"));
        c.collateral().forEach(l -> io.out().println("    - " + l));
        return passed ? 0 : 1;
    }

    /** On a terminal: the scenario's causes, numbered; the trainee picks one (Enter: no answer). */
    private static String pick(Labs labs, PrintStream out) {
        List<Verdict> causes = labs.causes();
        if (causes.isEmpty()) {
            return null;
        }
        out.println("What is the cause? (Enter: do not grade the cause)");
        for (int i = 0; i < causes.size(); i++) {
            out.printf("  %2d. %s%n", i + 1, causes.get(i).title());
        }
        String line = System.console().readLine("Number: ");
        try {
            int n = Integer.parseInt(line == null ? "" : line.strip());
            return n >= 1 && n <= causes.size() ? causes.get(n - 1).id() : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
