package dev.triage.cli;

import dev.triage.report.HumanReport;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the command line says about a scenario's inputs: the flag for each, in help and in errors. */
final class ScenarioHelp {
    private ScenarioHelp() { }

    /** The value to write in {@code --set NAME=VALUE}: the input's type (HOST:PORT), a path, or its name in capitals. */
    static String placeholder(InputSpec in) {
        if (InputSpec.HOST_PORT.equals(in.type())) {
            return "HOST:PORT";
        }
        String hint = in.patternHint() == null ? "" : in.patternHint().toLowerCase(Locale.ROOT);
        if (hint.startsWith("an absolute path")) {
            return "/PATH";
        }
        return in.name().toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The option that sets {@code in}, e.g. {@code --set target=HOST:PORT}. */
    static String flag(InputSpec in) {
        return "--set " + in.name() + "=" + placeholder(in);
    }

    /** Each input: its flag, whether it is required (or its default), what it means. */
    static List<String> inputLines(Scenario s, int width) {
        List<String> out = new ArrayList<>();
        if (s.inputs().isEmpty()) {
            out.add("  (no inputs)");
        }
        for (InputSpec in : s.inputs()) {
            out.add("  " + flag(in) + "   " + (in.required() ? "required"
                    : in.defaultValue().isEmpty() ? "optional, empty unless set" : "optional, default " + in.defaultValue()));
            String text = in.prompt();
            if (in.help() != null) {
                text += (text.endsWith(".") ? " " : ". ") + in.help();
            }
            HumanReport.wrap(text, width - 6).forEach(l -> out.add("      " + l));
        }
        return out;
    }

    /** A scenario in full for {@code triage help SCENARIO} and {@code diagnose SCENARIO --help}. */
    static List<String> scenarioLines(Scenario s, int width) {
        List<String> out = new ArrayList<>();
        out.add(s.id() + ": " + s.title());
        HumanReport.wrap("Symptom: " + s.symptom(), width - 2).forEach(l -> out.add("  " + l));
        out.add("");
        out.add("Inputs of " + s.id() + ":");
        out.addAll(inputLines(s, width));
        out.add("");
        List<String> example = new ArrayList<>(List.of("triage", "diagnose", s.id()));
        s.inputs().stream().filter(InputSpec::required).forEach(in -> example.add(flag(in)));
        out.add("Run it: " + String.join(" ", example));
        return out;
    }
}
