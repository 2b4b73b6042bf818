package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.triage.report.HumanReport;
import dev.triage.wizard.WizardSession;

import java.util.ArrayList;
import java.util.List;

/**
 * "Practice on a lab": the labs, each with the symptom a trainee will see and what this machine
 * lacks for it. Enter builds and breaks the lab's sandbox (off the GUI thread), then goes on to
 * the lab scenario's form, filled with the lab's values.
 */
final class LabScreen implements WizardScreen {
    private final WizardWindow window;
    private List<WizardSession.LabChoice> labs;
    private ActionListBox list;
    private Label detail;
    private int width = 80;
    private volatile boolean starting;

    LabScreen(WizardWindow window) {
        this.window = window;
    }

    @Override
    public String title() {
        return "Practice on a lab";
    }

    @Override
    public String hints() {
        return "Up/Down move  Enter start the lab  Esc back";
    }

    @Override
    public String helpSection() {
        return "symptoms";
    }

    @Override
    public Component build(TerminalSize size) {
        width = size.getColumns();
        if (labs == null) {
            labs = window.session.labs();
        }
        int selected = list == null ? 0 : list.getSelectedIndex();
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(new Label("Sandboxes broken the way an incident was: diagnose, repair, grade yourself."));
        int room = size.getRows() - 6;
        int listRows = Math.max(2, Math.min(labs.size(), room - 6));
        list = new ActionListBox(new TerminalSize(width - 2, listRows));
        for (WizardSession.LabChoice l : labs) {
            String tag = (l.missing().isEmpty() ? "" : " (needs)") + "  #" + l.incident();
            list.addItem(WizardWindow.fit(l.title(), width - 3 - tag.length()) + tag, () -> start(l));
        }
        list.setSelectedIndex(Math.max(0, Math.min(selected, list.getItemCount() - 1)));
        panel.addComponent(list.withBorder(Borders.singleLine("Labs")));
        detail = new Label("");
        detail.setLabelWidth(width - 2);
        detail.setPreferredSize(new TerminalSize(width - 2, Math.max(2, room - listRows)));
        panel.addComponent(detail.withBorder(Borders.singleLine("What you will see")));
        updateDetail();
        return panel;
    }

    private void updateDetail() {
        int i = list.getSelectedIndex();
        if (i < 0 || i >= labs.size()) {
            return;
        }
        WizardSession.LabChoice l = labs.get(i);
        List<String> lines = new ArrayList<>(HumanReport.wrap(l.symptom(), width - 4));
        lines.add("");
        lines.add("Then: triage lab check --answer VERDICT (graded: the cause, the repair,");
        lines.add("nothing changed outside the sandbox); triage lab hint; triage lab stop.");
        if (!l.missing().isEmpty()) {
            lines.add("Cannot run here, needs: " + String.join("; ", l.missing()));
        }
        detail.setText(String.join("\n", lines));
    }

    private void start(WizardSession.LabChoice l) {
        if (starting) {
            return;
        }
        if (!l.missing().isEmpty()) {
            window.status("Lab " + l.id() + " needs " + String.join("; ", l.missing()));
            return;
        }
        starting = true;
        window.status("Starting lab " + l.id() + ": building and breaking its sandbox...");
        window.work("triage-wizard-lab", () -> {
            String problem = null;
            try {
                window.session.startLab(l.id(), line -> { });
            } catch (dev.triage.lab.LabException | RuntimeException e) {
                problem = dev.triage.host.Failures.words(e);
            }
            String failed = problem;
            later(() -> {
                starting = false;
                if (failed != null) {
                    window.status(failed);
                } else {
                    window.show(new InputScreen(window));
                    window.status("Lab " + l.id() + " is running: the form has its values. Run the tests.");
                }
            });
        });
    }

    private void later(Runnable r) {
        try {
            window.gui.getGUIThread().invokeLater(r);
        } catch (IllegalStateException e) {
            // the GUI is gone
        }
    }

    @Override
    public Interactable focus() {
        return list;
    }

    @Override
    public boolean onKey(KeyStroke key) {
        KeyType type = key.getKeyType();
        if (type == KeyType.ArrowUp || type == KeyType.ArrowDown || type == KeyType.Home || type == KeyType.End) {
            list.handleKeyStroke(key);
            updateDetail();
            return true;
        }
        return false;
    }

    @Override
    public boolean onBack() {
        return false;
    }
}
