package dev.triage.cli;

import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code triage help [COMMAND | SCENARIO]}: a command's usage, or a scenario's inputs (name, required
 * or its default, what it means). The same scenario section is added to {@code diagnose --help} and
 * {@code fix --help} by {@link #addScenarioSections}.
 */
@Command(name = "help", helpCommand = true,
        description = {"Show the usage of a command, or what a scenario asks for: its inputs, which are required, their defaults,"
                + " and what each one means."})
final class HelpCommand implements Callable<Integer> {
    private static final String SECTION = "scenarioInputs";

    @ParentCommand
    TriageCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "TOPIC",
            description = "A command (diagnose, fix, undo, ...), a scenario id (see 'triage list'), or a command and a scenario id.")
    List<String> topic = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine parent = spec.parent().commandLine();
        if (topic.isEmpty()) {
            parent.usage(root.streams().out(), parent.getColorScheme());
            return 0;
        }
        Map<String, CommandLine> commands = parent.getSubcommands();
        CommandLine command = commands.get(topic.get(0));
        if (command != null) {
            if (topic.size() == 2 && command.getCommand() instanceof ScenarioOptions options) {
                options.scenarioId = topic.get(1); // its usage then lists this scenario's inputs
            }
            command.usage(root.streams().out(), command.getColorScheme());
            return 0;
        }
        if (topic.size() == 1) {
            Scenario s = root.triage().scenarios().get(topic.get(0));
            if (s != null) {
                ScenarioHelp.scenarioLines(s, 80).forEach(root.streams().out()::println);
                return 0;
            }
        }
        List<String> known = new ArrayList<>(commands.keySet());
        known.addAll(root.triage().scenarios().scenarios().keySet());
        root.streams().err().println("triage help: '" + String.join(" ", topic) + "' is neither a command nor a scenario."
                + DidYouMean.sentence(topic.get(0), known) + " Commands: " + String.join(", ", commands.keySet())
                + "; scenarios: triage list.");
        return TriageCommand.USAGE;
    }

    /** Adds to {@code diagnose} and {@code fix}'s help the inputs of the scenario named (or of every scenario). */
    static void addScenarioSections(CommandLine root) {
        for (String name : List.of("diagnose", "fix")) {
            CommandLine sub = root.getSubcommands().get(name);
            if (sub == null) {
                continue; // only another command was built (TriageCommand.addSubcommands)
            }
            Map<String, CommandLine.IHelpSectionRenderer> map = sub.getHelpSectionMap();
            map.put(SECTION, help -> render((ScenarioOptions) help.commandSpec().userObject()));
            List<String> keys = new ArrayList<>(sub.getHelpSectionKeys());
            keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING), SECTION);
            sub.setHelpSectionKeys(keys);
        }
    }

    private static String render(ScenarioOptions options) {
        StringBuilder out = new StringBuilder("%n".formatted());
        String nl = System.lineSeparator();
        var scenarios = options.root.triage().scenarios();
        if (options.scenarioId != null) {
            Scenario s = scenarios.get(options.scenarioId);
            if (s == null) {
                out.append("No scenario '").append(options.scenarioId).append("'.")
                        .append(DidYouMean.sentence(options.scenarioId, scenarios.scenarios().keySet())).append(nl);
            } else {
                ScenarioHelp.scenarioLines(s, 80).forEach(l -> out.append(l).append(nl));
            }
            return out.toString();
        }
        out.append("Scenarios and their inputs ('triage help SCENARIO' says what each input means):").append(nl);
        for (Scenario s : scenarios.scenarios().values()) {
            List<String> flags = new ArrayList<>();
            for (InputSpec in : s.inputs()) {
                flags.add(in.required() ? ScenarioHelp.flag(in) : "[" + ScenarioHelp.flag(in) + "]");
            }
            List<String> lines = dev.triage.report.HumanReport.wrap(s.id() + " " + String.join(" ", flags), 76);
            for (int i = 0; i < lines.size(); i++) {
                out.append(i == 0 ? "  " : "      ").append(lines.get(i)).append(nl);
            }
        }
        return out.toString();
    }
}
