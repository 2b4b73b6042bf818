package dev.triage.cli;

import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;

import dev.triage.app.Triage;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.engine.StepResult;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.TestNode;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.triage.concurrent.Workers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What diagnose and fix share: the scenario, its inputs, the time budget, the output mode. */
abstract class ScenarioOptions {
    @CommandLine.ParentCommand
    TriageCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario id (see 'triage list').")
    String scenarioId;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set an input of the scenario (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--json", description = "Print exactly one JSON document on stdout; progress goes to stderr.")
    boolean json;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    Scenario scenario;
    Map<String, String> inputs;
    List<String> swept = List.of();

    /** Resolves scenario and inputs; throws a usage error (exit 64) with what to do. */
    void prepare() {
        Triage triage = root.triage();
        scenario = triage.scenarios().get(scenarioId);
        if (scenario == null) {
            triage.scenarios().problems().forEach(p -> System.err.println("warning: " + p));
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown scenario '" + scenarioId
                    + "'; known: " + String.join(", ", triage.scenarios().scenarios().keySet()) + " (triage list)");
        }
        runOptions.budget(spec.commandLine());
        Map<String, String> given = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set takes KEY=VALUE, not '" + s + "'");
            }
            given.put(s.substring(0, eq), s.substring(eq + 1));
        }
        List<String> problems = new ArrayList<>();
        inputs = triage.inputs(scenario, given, problems);
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }

    /** Opens the run and starts reaching the engine while the scenario and inputs are checked. */
    Triage.Run open(Output out) {
        Triage.Run run = root.triage().openRun(out.progress()::println);
        run.docker().connectInBackground();
        return run;
    }

    Diagnosis diagnose(Triage.Run run, Output out) {
        out.progress().println("triage: " + scenario.id() + " - " + scenario.title());
        // leftovers of killed runs are another run's business: swept alongside, not before, the tests
        CompletableFuture<List<String>> sweep = CompletableFuture.supplyAsync(run::sweep, Workers.io());
        Diagnosis d = run.diagnose(scenario, inputs, runOptions.budget(spec.commandLine()), new RunListener() {
            @Override
            public void testFinished(TestNode test, StepResult result) {
                HumanReport.step(out.progress(), result);
                if (runOptions.explain) {
                    HumanReport.explain(out.progress(), test);
                }
            }
        });
        try {
            swept = sweep.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            swept = List.of();
        }
        // a lab whose start was killed (SIGKILL) is restored by the next run, like probe leftovers
        List<String> labs = new java.util.ArrayList<>(swept);
        labs.addAll(new dev.triage.lab.Labs(root.triage(), System.getenv()).recoverInterrupted(out.progress()::println));
        swept = labs;
        swept.forEach(s -> out.progress().println("  removed a leftover of an earlier, killed run: " + s));
        return d;
    }

    static int exitCode(Diagnosis d) {
        return switch (d.status()) {
            case HEALTHY -> TriageCommand.HEALTHY;
            case PROBLEM -> TriageCommand.PROBLEM;
            case INCONCLUSIVE -> TriageCommand.INCONCLUSIVE;
        };
    }
}
