package dev.triage.cli;

import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.ExitCodes;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Walk a scenario's decision tree, run its tests and name the cause with evidence.",
                "It never changes the system: the probe containers and networks it starts are labelled and removed on exit.",
                "The fix it names is shown with the command that applies it, with the same inputs."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy", "1:a problem was identified", "2:inconclusive: a test could not run", "64:usage error"})
final class DiagnoseCommand extends ScenarioOptions implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Output out = output();
        try (var session = open(out)) {
            Diagnosis d = diagnose(session, out);
            HumanReport.verdict(out.report(), scenario, d, session.plans(), true, session.commands());
            if (json) {
                out.json().println(JsonReport.JSON.writeValueAsString(session.reportJson()));
            }
            return ExitCodes.of(d);
        }
    }
}
