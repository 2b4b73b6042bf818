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

import java.util.List;

/**
 * Step 1: the symptoms from the scenario files, in an admin's words, with the incident each comes
 * from. Typing filters the list (the focus stays on the list, so arrows and Enter keep working).
 */
final class SymptomScreen implements WizardScreen {
    private static final int DETAIL_ROWS = 5;
    private int detailRows = DETAIL_ROWS;
    private final WizardWindow window;
    private String filter = "";
    private List<WizardSession.Symptom> shown = List.of();
    private ActionListBox list;
    private int selected;
    private Label detail;
    private int width = 80;

    SymptomScreen(WizardWindow window) {
        this.window = window;
    }

    @Override
    public String title() {
        return "Symptom: what do you see?";
    }

    @Override
    public String hints() {
        return "type to filter  Up/Down move  Enter choose  Esc " + (filter.isEmpty() ? "quit" : "clear");
    }

    @Override
    public String helpSection() {
        return "symptoms";
    }

    @Override
    public Component build(TerminalSize size) {
        width = size.getColumns();
        if (list != null) {
            selected = list.getSelectedIndex();
        }
        shown = window.session.symptoms(filter);
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(new Label(filter.isEmpty() ? "Type words to filter the list." : "Filter: " + filter + "_   ("
                + shown.size() + " match" + (shown.size() == 1 ? "" : "es") + ")"));
        List<String> problems = window.session.scenarioProblems();
        int room = size.getRows() - 5 - (problems.isEmpty() ? 0 : 1); // filter line and two borders each
        int listRows = Math.max(2, Math.min(Math.max(shown.size() + (filter.isEmpty() ? 1 : 0), 3), room - DETAIL_ROWS));
        detailRows = Math.max(2, room - listRows);
        list = new ActionListBox(new TerminalSize(width - 2, listRows));
        for (WizardSession.Symptom s : shown) {
            String tag = "  #" + s.incident();
            list.addItem(WizardWindow.fit(s.symptom(), width - 3 - tag.length()) + tag, () -> choose(s));
        }
        if (filter.isEmpty()) {
            list.addItem(WizardWindow.fit("Practice on a lab: a sandbox broken the way an incident was (training)", width - 3),
                    () -> window.show(new LabScreen(window)));
        }
        if (shown.isEmpty() && !filter.isEmpty()) {
            list.addItem("(no symptom matches '" + filter + "': Backspace, or Esc to clear)", () -> { });
        }
        selected = Math.max(0, Math.min(selected, list.getItemCount() - 1));
        list.setSelectedIndex(selected);
        panel.addComponent(list.withBorder(Borders.singleLine("Symptoms")));
        detail = new Label("");
        detail.setLabelWidth(width - 2);
        detail.setPreferredSize(new TerminalSize(width - 2, detailRows));
        panel.addComponent(detail.withBorder(Borders.singleLine("Incident")));
        if (!problems.isEmpty()) {
            panel.addComponent(new Label(WizardWindow.fit("! " + problems.size() + " scenario file(s) skipped: "
                    + problems.get(0) + " (triage validate)", width)));
        }
        updateDetail();
        return panel;
    }

    @Override
    public Interactable focus() {
        return list;
    }

    private void updateDetail() {
        int i = list.getSelectedIndex();
        if (i == shown.size() && filter.isEmpty()) {
            detail.setText(String.join("\n", HumanReport.wrap("A disposable sandbox on this machine, broken on purpose the way"
                    + " one of the incidents was. Diagnose it with the wizard, repair it, and grade yourself with triage lab check."
                    + " triage lab stop restores everything.", width - 4)));
            return;
        }
        if (i < 0 || i >= shown.size()) {
            detail.setText("");
            return;
        }
        WizardSession.Symptom s = shown.get(i);
        List<String> lines = new java.util.ArrayList<>();
        lines.addAll(HumanReport.wrap(s.symptom(), width - 4));
        lines.add("scenario " + s.scenario() + ", from incident " + s.incident() + ":");
        lines.addAll(HumanReport.wrap(s.summary() == null ? "" : s.summary(), width - 4));
        detail.setText(String.join("\n", lines.subList(0, Math.min(detailRows, lines.size()))));
    }

    private void choose(WizardSession.Symptom s) {
        window.session.choose(s.scenario());
        window.show(new InputScreen(window));
    }

    @Override
    public boolean onKey(KeyStroke key) {
        KeyType type = key.getKeyType();
        if (type == KeyType.ArrowUp || type == KeyType.ArrowDown || type == KeyType.PageUp || type == KeyType.PageDown
                || type == KeyType.Home || type == KeyType.End) {
            list.handleKeyStroke(key);
            updateDetail();
            return true;
        }
        if (type == KeyType.Backspace && !filter.isEmpty()) {
            setFilter(filter.substring(0, filter.length() - 1));
            return true;
        }
        if (type == KeyType.Character && !key.isCtrlDown() && !key.isAltDown()) {
            char c = key.getCharacter();
            // q and ? keep their meaning while the filter is empty; inside a filter they are letters
            if (filter.isEmpty() && (c == 'q' || c == '?' || c == ' ')) {
                return false;
            }
            if (!Character.isISOControl(c) && filter.length() < 60) {
                setFilter(filter + c);
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean onBack() {
        if (!filter.isEmpty()) {
            setFilter("");
            return true;
        }
        return false;
    }

    private void setFilter(String f) {
        filter = f;
        selected = 0;
        list = null;
        window.render();
    }
}
