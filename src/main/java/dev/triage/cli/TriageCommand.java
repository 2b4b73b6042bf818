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
        subcommands = {ListCommand.class, DiagnoseCommand.class, FixCommand.class, UndoCommand.class, ValidateCommand.class, LabCommand.class,
                HistoryCommand.class, HelpCommand.class},
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
        if (reachesEngineFirst(args)) {
            Triage.connectEarly(env);
        }
        CommandLine cli = new CommandLine(new TriageCommand(env, in, streams))
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
            triage = new Triage(env, scenarioDirs);
        }
        return triage;
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
