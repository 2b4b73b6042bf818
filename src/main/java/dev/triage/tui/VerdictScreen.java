package dev.triage.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.input.KeyStroke;
import dev.triage.engine.Diagnosis;
import dev.triage.fix.FixPlan;
import dev.triage.report.HumanReport;
import dev.triage.wizard.TestStatus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 4: what is wrong, why the evidence says so (shown on demand), with the incident's and
 * upstream's references. From here: the fixes, the session report, the tests again, a new diagnosis.
 */
final class VerdictScreen implements WizardScreen {
    private final WizardWindow window;
    private boolean evidence;
    private TextBox pane;
    private Button first;
    private Interactable lastFocus;
    /** The pane of the last build: the focus stays on it over a resize (not on another screen's pane). */
    private TextBox previousPane;

    VerdictScreen(WizardWindow window) {
        this.window = window;
    }

    @Override
    public String title() {
        return "Verdict (" + window.session.scenario().id() + ")";
    }

    @Override
    public String hints() {
        boolean fixes = !window.session.plans().isEmpty();
        return (Dialogs.overflows(pane) ? "PgUp/PgDn scroll  " : "") + "Tab button  v evidence" + (fixes ? "  f fixes" : "")
                + "  r report  n new  Esc tests";
    }

    @Override
    public String helpSection() {
        return "verdict";
    }

    @Override
    public Component build(TerminalSize size) {
        Interactable had = window.getFocusedInteractable();
        previousPane = pane;
        int width = size.getColumns() - 2;
        Diagnosis d = window.session.diagnosis();
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        // a healthy verdict with warnings is still healthy (exit 0), but not a plain green check
        TestStatus mood = d.status() == Diagnosis.Status.HEALTHY ? (d.warnings().isEmpty() ? TestStatus.PASSED : TestStatus.WARNING)
                : d.status() == Diagnosis.Status.INCONCLUSIVE ? TestStatus.INCONCLUSIVE
                : d.verdict().severity() == dev.triage.scenario.Verdict.Severity.CRITICAL ? TestStatus.FAILED : TestStatus.WARNING;
        String headline = window.marks.of(mood) + " " + (d.verdict() == null ? "Inconclusive: the tests could not decide"
                : d.verdict().title() + (d.verdict().healthy() ? "" : "  [" + d.verdict().severity().name().toLowerCase() + "]"));
        Label head = WizardWindow.wrapped(dev.triage.report.Printable.line(headline), width); // a long title wraps, never cut
        head.addStyle(SGR.BOLD);
        if (window.color) {
            head.setForegroundColor(switch (mood) {
                case PASSED -> TextColor.ANSI.GREEN;
                case FAILED -> TextColor.ANSI.RED;
                default -> TextColor.ANSI.YELLOW;
            });
        }
        panel.addComponent(head);
        List<FixPlan> plans = window.session.plans();
        List<String> lines = new ArrayList<>(HumanReport.verdictLines(window.session.scenario(), d, List.of(), evidence, width - 2));
        if (!lines.isEmpty()) {
            lines.remove(0); // the headline above says it
        }
        if (!evidence && d.verdict() != null && !d.verdict().evidence().isEmpty()) {
            lines.add("");
            lines.add("(v shows the evidence of: " + String.join(", ", d.verdict().evidence()) + ")");
        }
        if (!plans.isEmpty()) {
            long ready = plans.stream().filter(FixPlan::available).count();
            lines.add("");
            lines.add(plans.size() + " fix(es) offered, " + ready + " can be applied here: press f.");
        }
        int paneRows = Math.max(3, size.getRows() - 4 - head.getPreferredSize().getRows());
        pane = new TextBox(new TerminalSize(width, paneRows), String.join("\n", Dialogs.fit(lines, width - 2, l -> false)),
                TextBox.Style.MULTI_LINE);
        pane.setReadOnly(true);
        pane.setTheme(TuiTheme.pane(window.color));
        panel.addComponent(pane.withBorder(Borders.singleLine(evidence ? "Why (with evidence)" : "Why")));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        first = null;
        if (!plans.isEmpty()) {
            first = new Button("Fixes (" + plans.size() + ")", this::fixes);
            buttons.addComponent(first);
        }
        Button report = new Button("Save report", this::report);
        buttons.addComponent(report);
        buttons.addComponent(new Button("Tests", window::back));
        buttons.addComponent(new Button("New diagnosis", window::restart));
        buttons.addComponent(new Button("Quit", window::quit));
        if (first == null) {
            first = report;
        }
        panel.addComponent(buttons);
        lastFocus = had;
        return panel;
    }

    @Override
    public Interactable focus() {
        return lastFocus != null && lastFocus == previousPane ? pane : first;
    }

    private void fixes() {
        window.show(new FixScreen(window));
    }

    @Override
    public boolean onKey(KeyStroke key) {
        var type = key.getKeyType();
        if (window.getFocusedInteractable() != pane && (type == com.googlecode.lanterna.input.KeyType.ArrowUp
                || type == com.googlecode.lanterna.input.KeyType.ArrowDown || type == com.googlecode.lanterna.input.KeyType.PageUp
                || type == com.googlecode.lanterna.input.KeyType.PageDown)) {
            pane.handleKeyStroke(key); // the Why pane scrolls while a button keeps the focus
            pane.invalidate();
            return true;
        }
        if (WizardWindow.isChar(key, 'v')) {
            evidence = !evidence;
            window.render();
            return true;
        }
        if (WizardWindow.isChar(key, 'f') && !window.session.plans().isEmpty()) {
            fixes();
            return true;
        }
        if (WizardWindow.isChar(key, 'r')) {
            report();
            return true;
        }
        if (WizardWindow.isChar(key, 'n')) {
            window.restart();
            return true;
        }
        return false;
    }

    private void report() {
        saveReport(window);
    }

    /** Asks for a folder and writes the session report there (Markdown and JSON), or says why not; true when saved. */
    static boolean saveReport(WizardWindow window) {
        String dir = Dialogs.ask(window, "Save report", "Folder for the report (Markdown and JSON, never over an existing file):",
                window.session.reportDir().toString());
        if (dir == null || dir.isEmpty()) {
            window.status("Report not saved.");
            return false;
        }
        try {
            List<Path> files = window.session.saveReport(window.session.workDir().resolve(dir));
            // the names first, the folder once: each fits a row, and a long path wraps rather than being cut
            window.status("Saved: " + String.join(", ", files.stream().map(f -> f.getFileName().toString()).toList())
                    + (files.isEmpty() ? "" : " in " + files.get(0).getParent()));
            return true;
        } catch (Exception e) {
            window.status("Could not save the report: " + dev.triage.host.Failures.words(e) + " (try another folder)");
            return false;
        }
    }
}
