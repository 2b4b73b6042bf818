package dev.triage.cli;

import dev.triage.app.Triage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The root command: global options shared by every subcommand. */
@Command(name = "triage", mixinStandardHelpOptions = true, versionProvider = TriageCommand.Version.class,
        description = {"Troubleshooting wizard for containerized mail servers on Docker.",
                "Pick the symptom, triage runs real tests, names the cause with evidence, and offers a fix it can verify and undo."},
        subcommands = {ListCommand.class, DiagnoseCommand.class, FixCommand.class, UndoCommand.class, ValidateCommand.class, LabCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy (diagnose, fix)", "1:a problem was identified (or remains)",
                "2:inconclusive: a test could not run", "64:usage error"})
public final class TriageCommand implements Runnable, CommandLine.IExitCodeGenerator {
    public static final int HEALTHY = 0;
    public static final int PROBLEM = 1;
    public static final int INCONCLUSIVE = 2;
    public static final int USAGE = 64;

    @Option(names = "--scenarios", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Also load scenario files (*.yaml) from DIR (repeatable).")
    List<Path> scenarioDirs = new ArrayList<>();

    @Option(names = "--plain", description = "The wizard as a line dialog (numbered choices, y/N), as with TERM=dumb or no terminal.")
    boolean plain;

    @CommandLine.Mixin
    RunOptions runOptions = new RunOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Triage triage;

    /** Built on first use, so --help and --version never load anything. */
    Triage triage() {
        if (triage == null) {
            triage = new Triage(System.getenv(), scenarioDirs);
        }
        return triage;
    }

    /** No subcommand: the wizard. */
    @Override
    public void run() {
        exitCode = WizardLauncher.launch(triage(), plain, runOptions.explain, runOptions.budget(spec.commandLine()));
    }

    /** The wizard's exit code, which picocli returns from execute(). */
    private int exitCode;

    @Override
    public int getExitCode() {
        return exitCode;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = TriageCommand.class.getResourceAsStream("/triage-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[]{"triage " + p.getProperty("version", "unknown")};
        }
    }
}
