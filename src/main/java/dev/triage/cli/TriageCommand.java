package dev.triage.cli;

import dev.triage.app.Triage;
import dev.triage.engine.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The root command: global options shared by every subcommand. */
@Command(name = "triage", mixinStandardHelpOptions = true, versionProvider = TriageCommand.Version.class,
        description = {"Troubleshooting wizard for containerized mail servers on Docker.",
                "Pick the symptom: triage runs real tests, names the cause with evidence, and offers a fix it can verify and undo.",
                "Without a command it starts the wizard."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy (diagnose, fix)", "1:a problem was identified (or remains)",
                "2:inconclusive: a test could not run", "3:fix: applied, but triage cannot verify it (check by hand)",
                "64:usage error", "130:wizard left before a diagnosis, or Ctrl-C"})
public final class TriageCommand implements Runnable, CommandLine.IExitCodeGenerator {
    public static final int HEALTHY = ExitCodes.HEALTHY;
    public static final int PROBLEM = ExitCodes.PROBLEM;
    public static final int INCONCLUSIVE = ExitCodes.INCONCLUSIVE;
    /** fix: the change was applied and kept, but triage has no test to verify it (not the same as declined). */
    public static final int APPLIED_UNVERIFIED = ExitCodes.APPLIED_UNVERIFIED;
    public static final int USAGE = ExitCodes.USAGE;

    @Option(names = "--scenarios", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Also load scenario files (*.yaml) from DIR (repeatable).")
    List<Path> scenarioDirs = new ArrayList<>();

    @Option(names = "--plain", description = "Run the wizard as a line dialog (numbered choices, y/N), as with TERM=dumb or without a terminal.")
    boolean plain;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Triage triage;
    private final Map<String, String> env;
    private final InputStream in;
    private final Streams streams;

    private TriageCommand(Map<String, String> env, InputStream in, Streams streams) {
        this.env = env;
        this.in = in;
        this.streams = streams;
    }

    /**
     * Runs the command line and returns its exit code; the entry of main and of in-process tests.
     * Every command writes to {@code out} and {@code err} (picocli's streams), never to System.out.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.getenv(), System.in, Streams.of(out, err), args);
    }

    /** As above with the process's own streams, whose encodings the JVM names. */
    public static int runOnSystemStreams(String... args) {
        return run(System.getenv(), System.in, Streams.system(), args);
    }

    /** For tests: the environment (TRIAGE_STATE_DIR) and the answers of the line dialog. */
    static int run(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, String... args) {
        return run(env, in, Streams.of(out, err), args);
    }

    private static int run(Map<String, String> env, InputStream in, Streams streams, String... args) {
        TriageCommand command = new TriageCommand(env, in, streams);
        if (reachesEngineFirst(args)) {
            Triage.connectEarly(env);
            command.readScenarioEarly(args);
        }
        CommandLine cli = new CommandLine(command);
        addSubcommands(cli, args);
        cli
                .setOut(streams.outWriter())
                .setErr(streams.errWriter())
                .setParameterExceptionHandler((e, a) -> {
                    CommandLine c = e.getCommandLine();
                    c.getErr().println("triage: " + e.getMessage());
                    if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                        c.getErr().println("Did you mean: " + String.join(" or ", u.getSuggestions()) + "?");
                    }
                    c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("triage: " + dev.triage.host.Failures.words(e));
                    org.tinylog.Logger.error(e, "command failed");
                    return INCONCLUSIVE;
                });
        HelpCommand.addScenarioSections(cli);
        try {
            return cli.execute(args);
        } finally {
            dev.triage.docker.EngineConnector.discardEarly();
            streams.out().flush();
            streams.err().flush();
        }
    }

    /** The subcommands in the order --help lists them. */
    private static final java.util.LinkedHashMap<String, java.util.function.Supplier<Object>> SUBCOMMANDS = new java.util.LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("list", ListCommand::new);
        SUBCOMMANDS.put("diagnose", DiagnoseCommand::new);
        SUBCOMMANDS.put("fix", FixCommand::new);
        SUBCOMMANDS.put("undo", UndoCommand::new);
        SUBCOMMANDS.put("validate", ValidateCommand::new);
        SUBCOMMANDS.put("lab", LabCommand::new);
        SUBCOMMANDS.put("history", HistoryCommand::new);
        SUBCOMMANDS.put("help", HelpCommand::new);
    }

    /**
     * When the first argument names a command, picocli builds the model of that command alone (start-up
     * time: each command's model is read from its annotations); otherwise, for the wizard, root options,
     * --help and did-you-mean, all of them.
     */
    static void addSubcommands(CommandLine cli, String... args) {
        java.util.function.Supplier<Object> only = args.length > 0 && !args[0].equals("help") ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cli.addSubcommand(args[0], only.get());
        } else {
            SUBCOMMANDS.forEach((name, make) -> cli.addSubcommand(name, make.get()));
        }
    }

    /**
     * The wizard, diagnose and fix reach the engine first thing: they start connecting before picocli
     * builds its model and parses (start-up time). Not with --help or --version.
     */
    static boolean reachesEngineFirst(String... args) {
        if (args.length == 0) {
            return true;
        }
        if (!args[0].equals("diagnose") && !args[0].equals("fix")) {
            return false;
        }
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return false;
            }
        }
        return true;
    }

    /** Built on first use, so --help and --version never load anything. */
    Triage triage() {
        if (triage == null) {
            Triage made = early != null && scenarioDirs.isEmpty() ? early.exceptionally(e -> null).join() : null;
            triage = made != null ? made : new Triage(env, scenarioDirs);
        }
        return triage;
    }

    /** Built while picocli reads the command line (see readScenarioEarly). */
    private java.util.concurrent.CompletableFuture<Triage> early;

    /**
     * For {@code diagnose ID} and {@code fix ID} without --scenarios: the scenario's file is read and
     * checked on the second core while picocli builds its model (start-up time). Read-only; a scenario
     * that is not found this way is looked up again as usual, with its messages.
     */
    private void readScenarioEarly(String... args) {
        if (args.length < 2 || args[1].startsWith("-") || java.util.Arrays.stream(args).anyMatch(a -> a.startsWith("--scenarios"))) {
            return;
        }
        String id = args[1];
        early = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            Triage t = new Triage(env, List.of());
            try {
                t.scenariosFor(id);
            } catch (RuntimeException e) {
                org.tinylog.Logger.debug(e, "early read of scenario {}", id); // the command reads it again and says what is wrong
            }
            return t;
        }, dev.triage.concurrent.Workers.io());
    }

    Streams streams() {
        return streams;
    }

    /** No subcommand: the wizard. */
    @Override
    public void run() {
        exitCode = WizardLauncher.launch(triage(), env, in, streams, plain, runOptions.explain, runOptions.budget(spec.commandLine()));
    }

    /** The wizard's exit code, which picocli returns from execute(). */
    private int exitCode;

    @Override
    public int getExitCode() {
        return exitCode;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"triage " + dev.triage.report.JsonReport.version()};
        }
    }
}
