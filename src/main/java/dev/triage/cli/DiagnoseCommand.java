package dev.triage.cli;

import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.Triage;
import dev.triage.engine.Diagnosis;
import dev.triage.fix.FixPlan;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Walk a scenario's decision tree and name the cause. Never changes the system",
                "(probe containers and networks it starts are labelled and removed on exit)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy", "1:a problem was identified", "2:inconclusive: a test could not run", "64:usage error"})
final class DiagnoseCommand extends ScenarioOptions implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Output out = Output.of(json);
        try (Triage.Run run = open(out)) {
            prepare();
            Diagnosis d = diagnose(run, out);
            List<FixPlan> plans = run.plans(scenario, d);
            HumanReport.verdict(out.report(), scenario, d, plans, true);
            if (json) {
                ObjectNode doc = JsonReport.diagnosis(scenario, d, plans, swept);
                System.out.println(JsonReport.JSON.writeValueAsString(doc));
            }
            return exitCode(d);
        }
    }
}
