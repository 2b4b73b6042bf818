package dev.triage.report;

import dev.triage.host.ShellQuote;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one builder of every command line triage suggests to type (text report, JSON, the wizard's
 * faces): this run's inputs and options, each argument shell-quoted, so it can be pasted as is.
 *
 * @param scenarioDirs the --scenarios folders of this run (named only for a scenario loaded from one)
 * @param timeoutSeconds the --timeout of this run (named only when it is not the default)
 */
public record Commands(List<Path> scenarioDirs, long timeoutSeconds) {
    public static final long DEFAULT_TIMEOUT = 60;
    /** A run with no options of its own. */
    public static final Commands DEFAULTS = new Commands(List.of(), DEFAULT_TIMEOUT);

    public Commands {
        scenarioDirs = List.copyOf(scenarioDirs);
    }

    /** {@code triage fix SCENARIO --set ...}; with {@code planId}, that fix ({@code --choose}). */
    public String fix(Scenario scenario, Map<String, String> inputs, String planId) {
        List<String> argv = run("fix", scenario, inputs);
        if (planId != null) {
            argv.add("--choose");
            argv.add(planId);
        }
        return ShellQuote.join(argv);
    }

    /** {@code triage diagnose SCENARIO --set ...} with this run's inputs. */
    public String diagnose(Scenario scenario, Map<String, String> inputs) {
        return ShellQuote.join(run("diagnose", scenario, inputs));
    }

    /** {@code triage undo ID}. */
    public static String undo(String journalId) {
        return ShellQuote.join(List.of("triage", "undo", journalId));
    }

    private List<String> run(String command, Scenario scenario, Map<String, String> inputs) {
        List<String> argv = new ArrayList<>(List.of("triage", command, scenario.id()));
        for (InputSpec in : scenario.inputs()) {
            String v = inputs == null ? null : inputs.get(in.name());
            // a value equal to the default needs no option: the pasted command gets it anyway
            if (v != null && !v.equals(in.defaultValue())) {
                argv.add("--set");
                argv.add(in.name() + "=" + v);
            }
        }
        Path from = scenario.source() == null ? null : Path.of(scenario.source()).getParent();
        for (Path dir : scenarioDirs) {
            if (dir.equals(from)) { // a scenario of the admin's own folder: found again from anywhere
                argv.add("--scenarios");
                argv.add(dir.toAbsolutePath().normalize().toString());
            }
        }
        if (timeoutSeconds != DEFAULT_TIMEOUT) {
            argv.add("--timeout");
            argv.add(String.valueOf(timeoutSeconds));
        }
        return argv;
    }
}
