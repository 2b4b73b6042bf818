package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.ThemeDefinition;
import com.googlecode.lanterna.gui2.AbstractListBox;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.TextGUIGraphics;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.engine.StepResult;
import dev.triage.report.HumanReport;
import dev.triage.scenario.TestNode;
import dev.triage.wizard.TestStatus;
import org.tinylog.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Step 3: the tests of the tree as they run. Each appears when it starts, with its time running;
 * when it ends, its outcome and where the tree went next (the path). Enter shows a test's evidence,
 * Esc stops the run: the probes are abandoned and this run's containers and networks removed.
 */
final class TestsScreen implements WizardScreen {
    private final WizardWindow window;
    private final Map<String, String> values;
    private final List<Row> rows = new ArrayList<>();
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile boolean running = true;
    private Diagnosis diagnosis;
    private String failure;
    private ActionListBox list;
    private Button verdictButton;
    private boolean verdictFocused;
    private long tick;
    private int width = 80;
    /** Explain mode: what the selected test checks and the commands by hand; it scrolls when they are longer. */
    private TextBox explainPane;
    /** The explain pane of the last build: the focus stays on the pane over a redraw. */
    private TextBox previousExplainPane;
    /** The selected test's whole title and outcome: a row of the list cuts them at 80 columns. */
    private Label detail;
    private static final int DETAIL_ROWS = 2;

    /** One test row: the test, when it started, and its result once it ended. */
    private final class Row implements Runnable {
        final TestNode test;
        final long started = System.nanoTime();
        StepResult result;
        final boolean skipped;

        Row(TestNode test, boolean skipped) {
            this.test = test;
            this.skipped = skipped;
        }

        TestStatus status() {
            if (skipped) {
                return TestStatus.SKIPPED;
            }
            if (result == null) {
                return running ? TestStatus.RUNNING : TestStatus.INCONCLUSIVE;
            }
            if (stopped()) {
                return TestStatus.INCONCLUSIVE;
            }
            return diagnosis == null ? TestStatus.PENDING : window.session.status(test.id());
        }

        String mark() {
            TestStatus s = status();
            if (s == TestStatus.RUNNING) {
                return window.marks.spin(tick);
            }
            if (s == TestStatus.PENDING) {
                return window.marks.done(); // ended, not yet judged: the verdict decides
            }
            return window.marks.of(s);
        }

        String outcome() {
            if (skipped) {
                return "not reached";
            }
            if (result == null) {
                return running ? "running" : cancel.get() ? "stopped" : "not finished";
            }
            if (stopped()) {
                return "stopped";
            }
            return result.outcome() + (result.next() == null ? "" : " " + window.marks.arrow() + " " + result.next());
        }

        /** Running when Esc came: it has no outcome, only the reason it has none. */
        boolean stopped() {
            return cancel.get() && result != null && result.inconclusive();
        }

        String time() {
            if (skipped) {
                return "";
            }
            long ms = result != null ? result.millis() : (System.nanoTime() - started) / 1_000_000;
            return ms < 10_000 ? String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0) : (ms / 1000) + "s";
        }

        @Override
        public void run() {
            showEvidence(this);
        }

        @Override
        public String toString() {
            int outcomeWidth = Math.min(30, Math.max(16, width / 3));
            // the list's width less the mark and its space, the scroll bar, and the outcome and time columns
            int titleWidth = Math.max(10, width - window.marks.width() - 1 - 1 - outcomeWidth - 1 - 6 - 1);
            return WizardWindow.fit(test.title(), titleWidth) + " ".repeat(Math.max(0, titleWidth - Math.min(titleWidth, test.title().length())))
                    + " " + pad(WizardWindow.fit(outcome(), outcomeWidth), outcomeWidth) + " " + pad(time(), 6);
        }
    }

    TestsScreen(WizardWindow window, Map<String, String> values) {
        this.window = window;
        this.values = values;
        start();
    }

    @Override
    public String title() {
        return "Tests (" + window.session.scenario().id() + ")";
    }

    @Override
    public String hints() {
        // the explain pane holds more than it shows (long commands by hand): PgUp/PgDn scroll it from anywhere
        boolean more = Dialogs.overflows(explainPane);
        String scroll = more ? "  PgUp/PgDn scroll" : "";
        if (explainPane != null && window.getFocusedInteractable() == explainPane) {
            return (more ? "Up/Down PgUp/PgDn scroll  " : "") + (running ? "Tab tests  Esc stop the tests" : "Tab buttons  Esc inputs")
                    + "  e explain";
        }
        if (running) {
            return "Up/Down move  Enter evidence" + scroll + "  Esc stop the tests  e explain";
        }
        if (window.getFocusedInteractable() instanceof Button b) {
            return "Enter " + b.getLabel().toLowerCase(java.util.Locale.ROOT) + "  Left/Right button" + scroll
                    + "  Up tests  Esc inputs  e explain";
        }
        return "Up/Down move  Enter evidence" + scroll + (explainPane != null ? "  Tab pane" : "  Tab buttons") + "  Esc inputs  e explain";
    }

    @Override
    public String helpSection() {
        return "tests";
    }

    private void start() {
        window.onLeave(() -> cancel.set(true));
        RunListener listener = new RunListener() {
            @Override
            public void testStarted(TestNode test) {
                later(() -> {
                    rows.add(new Row(test, false));
                    refresh(true);
                });
            }

            @Override
            public void testFinished(TestNode test, StepResult result) {
                later(() -> {
                    for (int i = rows.size() - 1; i >= 0; i--) {
                        if (rows.get(i).test.id().equals(test.id()) && rows.get(i).result == null) {
                            rows.get(i).result = result;
                            break;
                        }
                    }
                    refresh(false);
                });
            }
        };
        window.work("triage-wizard-diagnosis", () -> {
            Diagnosis d = null;
            String error = null;
            try {
                d = window.session.diagnose(values, listener, cancel::get);
            } catch (RuntimeException e) {
                Logger.error(e, "diagnosis failed");
                error = dev.triage.host.Failures.words(e);
            }
            Diagnosis done = d;
            String why = error;
            later(() -> finished(done, why));
        });
        Thread ticker = new Thread(() -> {
            while (running && !window.leaving()) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                later(() -> {
                    tick++;
                    if (list != null) {
                        list.invalidate();
                    }
                });
            }
        }, "triage-wizard-ticker");
        ticker.setDaemon(true);
        ticker.start();
    }

    private void later(Runnable r) {
        try {
            window.gui.getGUIThread().invokeLater(r);
        } catch (IllegalStateException e) {
            // the GUI is gone (the wizard was left): nothing to show any more
        }
    }

    private void finished(Diagnosis d, String error) {
        running = false;
        diagnosis = d;
        failure = error;
        if (d != null && window.session.cancelled()) {
            window.render();
            window.status("Stopped. Its probe containers and networks are removed; nothing was changed.");
            return;
        }
        if (d != null) {
            for (TestNode t : window.session.skippedTests()) {
                rows.add(new Row(t, true));
            }
            window.exitCode(dev.triage.engine.ExitCodes.of(d)); // the one mapping, as every face uses
            verdictFocused = true;
        }
        window.render();
        if (error != null) {
            window.status("The tests could not run: " + error);
        }
    }

    private void refresh(boolean followNewest) {
        if (list == null || window.current() != this) {
            return;
        }
        int keep = list.getSelectedIndex();
        window.render();
        if (followNewest && !rows.isEmpty()) {
            list.setSelectedIndex(rows.size() - 1);
        } else if (keep >= 0 && keep < list.getItemCount()) {
            list.setSelectedIndex(keep);
        }
        updateExplain();
    }

    @Override
    public Component build(TerminalSize size) {
        width = size.getColumns() - 2;
        int selected = list == null ? 0 : list.getSelectedIndex();
        previousExplainPane = explainPane;
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        int explainRows = window.explain() ? Math.max(4, (size.getRows() - 6) / 3) : 0;
        Label path = WizardWindow.wrapped(pathText(), width); // the whole path, wrapped, up to the verdict
        int pathRows = Math.max(1, path.getPreferredSize().getRows());
        int listRows = Math.max(3, size.getRows() - 5 - pathRows - DETAIL_ROWS - (explainRows > 0 ? explainRows + 2 : 0));
        list = new ActionListBox(new TerminalSize(width, listRows));
        list.setListItemRenderer(new MarkRenderer());
        rows.forEach(list::addItem);
        if (rows.isEmpty()) {
            list.addItem("(starting: connecting to the Docker engine" + window.marks.ellipsis() + ")", () -> { });
        }
        list.setSelectedIndex(Math.max(0, Math.min(selected, list.getItemCount() - 1)));
        panel.addComponent(list.withBorder(Borders.singleLine("Tests (the path taken, in order)")));
        detail = new Label("");
        detail.setLabelWidth(width);
        detail.setPreferredSize(new TerminalSize(width, DETAIL_ROWS));
        panel.addComponent(detail);
        updateDetail();
        explainPane = null;
        if (explainRows > 0) {
            // training: what the selected test checks and how to run it by hand, as the selection moves
            // a read-only pane, as the Why pane and the plan: it scrolls, and the hint line says how when it must
            explainPane = new TextBox(new TerminalSize(width, explainRows), "", TextBox.Style.MULTI_LINE);
            explainPane.setReadOnly(true);
            explainPane.setTheme(TuiTheme.pane(window.color));
            panel.addComponent(explainPane.withBorder(Borders.singleLine("What it checks, and by hand")));
            updateExplain();
        }
        panel.addComponent(path);
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        verdictButton = null;
        if (running) {
            buttons.addComponent(new Label(cancel.get() ? "Stopping: removing this run's probe containers" + window.marks.ellipsis()
                    : "Running" + window.marks.ellipsis() + " Esc stops the tests and cleans up."));
        } else if (diagnosis != null && !window.session.cancelled()) {
            verdictButton = new Button("See the verdict", () -> window.show(new VerdictScreen(window)));
            buttons.addComponent(verdictButton);
            buttons.addComponent(new Button("Run again", () -> window.replace(new TestsScreen(window, values))));
        } else {
            buttons.addComponent(new Button("Run again", () -> window.replace(new TestsScreen(window, values))));
            buttons.addComponent(new Button("Back to the inputs", window::back));
        }
        panel.addComponent(buttons);
        return panel;
    }

    @Override
    public Interactable focus() {
        if (verdictFocused && verdictButton != null) {
            verdictFocused = false;
            return verdictButton;
        }
        if (explainPane != null && previousExplainPane != null && window.getFocusedInteractable() == previousExplainPane) {
            return explainPane; // a redraw (a test started or ended) leaves the focus on the pane being read
        }
        return window.getFocusedInteractable() instanceof Button b && b.getLabel().equals("See the verdict") && verdictButton != null
                ? verdictButton : list;
    }

    private String pathText() {
        StringBuilder sb = new StringBuilder("Path: ");
        String arrow = " " + window.marks.arrow() + " ";
        boolean first = true;
        for (Row r : rows) {
            if (r.skipped) {
                continue;
            }
            sb.append(first ? "" : arrow).append(r.test.id());
            first = false;
        }
        if (diagnosis != null) {
            sb.append(arrow).append(window.session.cancelled() ? "stopped"
                    : diagnosis.verdict() == null ? "inconclusive" : "verdict " + diagnosis.verdict().id());
        } else if (running) {
            sb.append(first ? "" : arrow).append(window.marks.ellipsis());
        }
        return dev.triage.report.Printable.line(sb.toString());
    }

    private void showEvidence(Row row) {
        List<String> lines = new ArrayList<>();
        lines.add(row.test.title() + "  (test " + row.test.id() + ", " + row.test.probe() + ", limit "
                + row.test.timeout().toSeconds() + " s)");
        lines.add("");
        if (row.skipped) {
            lines.add("Not reached: the tree took another branch before this test.");
        } else if (row.result == null) {
            lines.add(running ? "Still running (" + row.time() + ")." : "Did not finish: the run was stopped.");
        } else {
            lines.addAll(HumanReport.stepLines(row.result, width - 8));
        }
        if (window.explain()) {
            lines.add("");
            lines.add("What it checks:");
            HumanReport.explainLines(row.test, width - 8).forEach(l -> lines.add("  " + l));
        } else {
            lines.add("");
            lines.add("(e or F2: explain mode, what this test checks and how to run it by hand)");
        }
        Dialogs.text(window, "Evidence: " + row.test.id(), lines);
    }

    private void updateDetail() {
        if (detail == null || list == null) {
            return;
        }
        int i = list.getSelectedIndex();
        if (i < 0 || i >= rows.size()) {
            detail.setText("");
            return;
        }
        Row row = rows.get(i);
        String time = row.time();
        List<String> lines = Dialogs.fit(List.of(row.test.title() + ": " + row.outcome() + (time.isEmpty() ? "" : " (" + time + ")")),
                width - 1, l -> false);
        if (lines.size() > DETAIL_ROWS) {
            lines = new ArrayList<>(lines.subList(0, DETAIL_ROWS));
            lines.set(DETAIL_ROWS - 1, WizardWindow.fit(lines.get(DETAIL_ROWS - 1) + " ...", width - 1));
        }
        detail.setText(String.join("\n", lines));
    }

    private void updateExplain() {
        updateDetail();
        if (explainPane == null) {
            return;
        }
        int i = list.getSelectedIndex();
        if (i < 0 || i >= rows.size()) {
            Dialogs.show(explainPane, "");
            return;
        }
        TestNode t = rows.get(i).test;
        List<String> lines = new ArrayList<>();
        // the commands by hand first: at 80x24 the pane has a few rows, and they are what a junior copies;
        // all of it is there, the clean-up commands at the end too: the pane scrolls (PgUp/PgDn, the hint says so)
        List<String> all = HumanReport.explainLines(t, width - 2);
        int byHand = all.indexOf("by hand:");
        if (byHand >= 0) {
            lines.addAll(Dialogs.fit(all.subList(byHand, all.size()), width - 1, l -> false));
        }
        if (all.stream().allMatch(String::isBlank)) {
            lines.add("This test has no explanation of its own; Enter shows what it found.");
        } else {
            lines.addAll(Dialogs.fit(byHand >= 0 ? all.subList(0, byHand) : all, width - 1, l -> false));
        }
        // another test's commands are read from their first line, not where the previous ones were scrolled to
        Dialogs.show(explainPane, String.join("\n", lines));
    }

    @Override
    public boolean onKey(com.googlecode.lanterna.input.KeyStroke key) {
        var type = key.getKeyType();
        if (Dialogs.overflows(explainPane) && window.getFocusedInteractable() != explainPane
                && (type == com.googlecode.lanterna.input.KeyType.PageUp || type == com.googlecode.lanterna.input.KeyType.PageDown)) {
            // the explain pane scrolls from the list and the buttons too, as the hint says (the list keeps Up/Down, Home/End)
            explainPane.handleKeyStroke(key);
            explainPane.invalidate();
            return true;
        }
        if (window.getFocusedInteractable() instanceof Button && (type == com.googlecode.lanterna.input.KeyType.ArrowUp
                || type == com.googlecode.lanterna.input.KeyType.ArrowDown)) {
            if (type == com.googlecode.lanterna.input.KeyType.ArrowUp) {
                window.setFocusedInteractable(list); // Up: back to the tests; Down: nothing below the buttons
            }
            return true;
        }
        if (window.getFocusedInteractable() == list && (type == com.googlecode.lanterna.input.KeyType.ArrowUp
                || type == com.googlecode.lanterna.input.KeyType.ArrowDown || type == com.googlecode.lanterna.input.KeyType.Home
                || type == com.googlecode.lanterna.input.KeyType.End || type == com.googlecode.lanterna.input.KeyType.PageUp
                || type == com.googlecode.lanterna.input.KeyType.PageDown)) {
            list.handleKeyStroke(key);
            updateExplain();
            return true;
        }
        return false;
    }

    @Override
    public boolean onBack() {
        if (running) {
            if (!cancel.getAndSet(true)) {
                window.status("Stopping the tests: the probes are abandoned and their containers removed" + window.marks.ellipsis());
                window.render();
            }
            return true;
        }
        return false;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Draws the mark of a row in the colour of its status, the rest as the list does. */
    private final class MarkRenderer extends AbstractListBox.ListItemRenderer<Runnable, ActionListBox> {
        @Override
        public void drawItem(TextGUIGraphics graphics, ActionListBox listBox, int index, Runnable item, boolean selected, boolean focused) {
            ThemeDefinition theme = listBox.getTheme().getDefinition(AbstractListBox.class);
            graphics.applyThemeStyle(selected && focused ? theme.getSelected() : theme.getNormal());
            int cols = graphics.getSize().getColumns();
            graphics.putString(0, 0, " ".repeat(Math.max(0, cols)));
            if (!(item instanceof Row row)) {
                graphics.putString(0, 0, WizardWindow.fit(String.valueOf(item), cols));
                return;
            }
            String mark = row.mark();
            if (window.color && !(selected && focused)) {
                graphics.setForegroundColor(switch (row.status()) {
                    case PASSED -> TextColor.ANSI.GREEN;
                    case WARNING, INCONCLUSIVE -> TextColor.ANSI.YELLOW;
                    case FAILED -> TextColor.ANSI.RED;
                    case RUNNING -> TextColor.ANSI.CYAN;
                    default -> TuiTheme.DEFAULT;
                });
            }
            graphics.putString(0, 0, mark);
            graphics.applyThemeStyle(selected && focused ? theme.getSelected() : theme.getNormal());
            graphics.putString(window.marks.width() + 1, 0, WizardWindow.fit(row.toString(), Math.max(0, cols - window.marks.width() - 1)));
        }
    }
}
