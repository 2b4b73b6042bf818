package dev.triage.cli;

import dev.triage.report.HumanReport;

import dev.triage.app.Triage;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.engine.StepResult;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.TestNode;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.triage.wizard.WizardSession;

import java.nio.file.Path;
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

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario's id, as 'triage list' shows it (its inputs: triage help SCENARIO).")
    String scenarioId;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Set an input of the scenario, e.g. --set target=HOST:PORT (repeatable; the list is below).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--json", description = "Print exactly one JSON document on stdout; progress goes to stderr.")
    boolean json;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    Scenario scenario;
    Map<String, String> inputs;

    /** Resolves scenario and inputs; throws a usage error (exit 64) with what to do. */
    void prepare() {
        Triage triage = root.triage();
        scenario = scenario(root, spec.commandLine(), scenarioId);
        runOptions.budget(spec.commandLine());
        Map<String, String> given = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> names = scenario.inputs().stream().map(InputSpec::name).toList();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--set takes KEY=VALUE, not '" + s + "'."
                        + " The inputs of " + scenario.id() + " are listed by: triage help " + scenario.id());
            }
            String name = s.substring(0, eq);
            if (!names.contains(name)) {
                problems.add("unknown input '" + name + "' for " + scenario.id() + "." + DidYouMean.sentence(name, names)
                        + " It takes: " + String.join(", ", names) + " (triage help " + scenario.id() + ")");
            }
            given.put(name, s.substring(eq + 1));
        }
        inputs = Triage.withDefaults(scenario, given);
        if (problems.isEmpty()) {
            Triage.inputProblems(scenario, inputs).forEach((name, problem) -> problems.add(
                    inputs.getOrDefault(name, "").isEmpty() ? missing(scenario.input(name).orElseThrow()) : problem));
        }
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }

    /** A required input (or one another input needs) that was not given: the exact option to add. */
    private String missing(InputSpec in) {
        String neededBy = scenario.inputs().stream().filter(o -> o.requires().contains(in.name())
                && !inputs.getOrDefault(o.name(), "").isEmpty()).map(InputSpec::name).findFirst().orElse(null);
        return "the input " + in.name() + " is " + (neededBy == null ? "required" : "needed with " + neededBy)
                + ": add " + ScenarioHelp.flag(in) + " (" + in.prompt() + ")";
    }

    /** The scenario of that id, or a usage error that names the closest ids (did you mean). */
    static Scenario scenario(TriageCommand root, CommandLine commandLine, String id) {
        Triage triage = root.triage();
        java.util.Optional<String> collision = triage.scenariosFor(id).collision(id);
        if (collision.isPresent()) {
            throw new CommandLine.ParameterException(commandLine, collision.get());
        }
        Scenario found = triage.scenariosFor(id).get(id);
        if (found == null) {
            triage.scenarios().problems().forEach(p -> root.streams().err().println("warning: " + p));
            java.util.Set<String> known = triage.scenarios().scenarios().keySet();
            throw new CommandLine.ParameterException(commandLine, "unknown scenario '" + id + "'." + DidYouMean.sentence(id, known)
                    + " Known: " + String.join(", ", known) + " (triage list).");
        }
        return found;
    }

    /** The command's output: picocli's streams (see {@link TriageCommand#streams}), JSON on stdout alone with --json. */
    Output output() {
        return root.streams().output(json);
    }

    /**
     * Opens the session (it starts reaching the engine at once) and checks the scenario and inputs
     * meanwhile: the command line goes through the same session as the wizard's faces.
     */
    WizardSession open(Output out) {
        WizardSession session = new WizardSession(root.triage(), runOptions.budget(spec.commandLine()), Path.of(""),
                out.progress()::println);
        try {
            prepare();
            session.choose(scenario.id());
            return session;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    Diagnosis diagnose(WizardSession session, Output out) {
        out.progress().println("triage: " + scenario.id() + " - " + scenario.title());
        Diagnosis d = session.diagnose(inputs, new RunListener() {
            @Override
            public void testFinished(TestNode test, StepResult result) {
                HumanReport.step(out.progress(), result);
                if (runOptions.explain) {
                    HumanReport.explain(out.progress(), test);
                }
            }
        }, () -> false);
        session.swept().forEach(s -> out.progress().println("  removed a leftover of an earlier, killed run: " + s));
        return d;
    }
}
