package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.ActionListBox;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.triage.fix.FixAction;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import dev.triage.fix.flow.FixFlow;
import dev.triage.fix.flow.FixResult;
import dev.triage.report.HumanReport;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Step 5: the fixes of the verdict. The pane shows the selected plan exactly (commands and file
 * diffs); Apply asks "apply these N changes?", shows progress and the verification, and offers
 * undo right there. "Not now" changes nothing and can keep the plan as a script to review.
 */
final class FixScreen implements WizardScreen {
    private final WizardWindow window;
    private final List<FixPlan> plans;
    private ActionListBox list;
    private TextBox pane;
    private int selected;
    /** The journal entry of the last fix applied here, for the Undo button. */
    private String undoable;
    private Interactable lastFocus;
    private TextBox previousPane;

    FixScreen(WizardWindow window) {
        this.window = window;
        this.plans = window.session.plans();
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).available()) {
                selected = i;
                break;
            }
        }
    }

    @Override
    public String title() {
        return "Fix (" + window.session.scenario().id() + ", verdict " + window.session.diagnosis().verdict().id() + ")";
    }

    @Override
    public String hints() {
        Interactable f = window.getFocusedInteractable();
        boolean more = Dialogs.overflows(pane);
        String move = f == pane ? (more ? "Up/Down PgUp/PgDn scroll the plan  " : "") + "Tab buttons"
                : f == list ? (plans.size() > 1 ? "Up/Down fix  " : "") + (more ? "PgUp/PgDn scroll  " : "") + "Tab plan"
                : "Left/Right button  Enter choose" + (more ? "  PgUp/PgDn scroll" : "") + "  Tab fixes";
        return move + "  a apply  s script" + (undoable != null ? "  u undo" : "") + "  r report  Esc back";
    }

    @Override
    public String helpSection() {
        return "fix";
    }

    @Override
    public Component build(TerminalSize size) {
        Interactable had = window.getFocusedInteractable();
        previousPane = pane;
        int width = size.getColumns() - 2;
        if (list != null) {
            selected = list.getSelectedIndex();
        }
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        int listRows = Math.min(plans.size(), Math.max(2, size.getRows() / 5));
        list = new ActionListBox(new TerminalSize(width, listRows));
        for (FixPlan p : plans) {
            list.addItem(WizardWindow.fit((p.available() ? "" : "(not available) ") + p.title(), width - 1), this::apply);
        }
        list.setSelectedIndex(Math.max(0, Math.min(selected, plans.size() - 1)));
        panel.addComponent(list.withBorder(Borders.singleLine("Fixes")));
        pane = new TextBox(new TerminalSize(width, Math.max(3, size.getRows() - listRows - 6)), "", TextBox.Style.MULTI_LINE);
        pane.setReadOnly(true);
        pane.setTheme(TuiTheme.pane(window.color));
        panel.addComponent(pane.withBorder(Borders.singleLine("The exact plan")));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(new Button("Apply...", this::apply));
        buttons.addComponent(new Button("Save as script", () -> saveScript(plan())));
        if (undoable != null) {
            buttons.addComponent(new Button("Undo", this::undo)); // the journal id is in the status line
        }
        buttons.addComponent(new Button("Back", window::back));
        panel.addComponent(buttons);
        showPlan();
        lastFocus = had;
        return panel;
    }

    @Override
    public Interactable focus() {
        return lastFocus != null && lastFocus == previousPane ? pane : list;
    }

    private FixPlan plan() {
        return plans.get(Math.max(0, Math.min(list.getSelectedIndex(), plans.size() - 1)));
    }

    private void showPlan() {
        int width = window.size().getColumns() - 3; // the border, and the scroll bar
        // wrapped once, at the width the pane keeps: a second wrap narrower left one-word lines ("changed).")
        List<String> lines = HumanReport.planLines(plan(), width - 1);
        // every line wraps, diff lines too: nothing to read hides behind a sideways scroll
        // another fix's plan is read from its first line, not where the previous one was scrolled to
        Dialogs.show(pane, String.join("\n", Dialogs.fit(lines, width - 1, l -> false)));
    }

    @Override
    public boolean onKey(KeyStroke key) {
        KeyType t = key.getKeyType();
        if (window.getFocusedInteractable() == list && (t == KeyType.ArrowUp || t == KeyType.ArrowDown)) {
            list.handleKeyStroke(key);
            showPlan();
            return true;
        }
        if (window.getFocusedInteractable() != pane && (t == KeyType.PageUp || t == KeyType.PageDown)) {
            pane.handleKeyStroke(key); // the plan scrolls from the list and the buttons too, as the hint says
            pane.invalidate();
            return true;
        }
        if (WizardWindow.isChar(key, 'a')) {
            apply();
            return true;
        }
        if (WizardWindow.isChar(key, 's')) {
            saveScript(plan());
            return true;
        }
        if (WizardWindow.isChar(key, 'r')) {
            VerdictScreen.saveReport(window);
            return true;
        }
        if (WizardWindow.isChar(key, 'u') && undoable != null) {
            undo();
            return true;
        }
        return false;
    }

    private void apply() {
        FixPlan plan = plan();
        if (!plan.available()) {
            window.status("Not available here: " + plan.unavailable());
            return;
        }
        // the session's fix flow decides what comes next (the follow-up restart included); this screen asks and shows
        FixFlow flow = window.session.fixFlow();
        FixFlow.Step step = flow.begin(plan);
        while (step instanceof FixFlow.Question q) {
            step = ask(flow, q);
        }
        FixResult last = ((FixFlow.Done) step).result();
        if (last instanceof FixResult.StillToDo t) {
            window.status("Still to do: " + (t.next() == null ? t.what() : t.next().title() + " (" + t.next().unavailable() + ")"));
        }
        FixResult first = flow.results().isEmpty() ? last : flow.results().get(0);
        if (undoable != null && first instanceof FixResult.Applied a && a.journalId().equals(undoable)
                && flow.results().size() == 1 && Dialogs.confirm(window, "Applied", List.of(String.join(" ", said(a)),
                "Undo it now? (Later: the Undo button, or triage undo " + undoable + ")"), "Undo now", "Keep it")) {
            undo();
        }
    }

    /** Asks about one plan of the flow, applies it with progress on yes; the flow's next step. */
    private FixFlow.Step ask(FixFlow flow, FixFlow.Question q) {
        FixPlan plan = q.plan();
        List<String> question = new ArrayList<>();
        int count = plan.actions().size();
        question.add((q.followUp() ? "Next step: " : "") + plan.title());
        question.add("Apply " + (count == 1 ? "this change" : "these " + count + " changes") + "?");
        int n = 1;
        for (FixAction a : plan.actions()) {
            question.add("  " + n++ + ". " + a.describe() + (a.reversible() ? "" : "  [cannot be undone]"));
        }
        question.add("");
        question.add(plan.verify() != null
                ? "Each change is backed up first, then verified; a failed verification rolls it back."
                : "Each change is backed up first. triage cannot verify this fix: check by hand after.");
        if (!Dialogs.confirm(window, "Confirm", question, "Apply", "Not now")) {
            FixFlow.Step next = flow.decline(q);
            if (q.followUp()) {
                window.status("This step was not taken; the change before it stays applied (undo with: triage undo "
                        + q.earlierJournalId() + ").");
            } else if (Dialogs.confirm(window, "Not applied", List.of("Nothing was changed.",
                    "Save the plan as a shell script to review later?"), "Save script", "No")) {
                saveScript(plan);
            } else {
                window.status("Not applied; nothing was changed.");
            }
            return next;
        }
        FixFlow.Step[] next = {null};
        int before = flow.results().size();
        List<String> result = progress("Applying: " + plan.title(), "applying " + plan.id() + " (" + count + " change"
                + (count == 1 ? "" : "s") + ")", log -> next[0] = flow.apply(q, log), () -> {
                    List<String> lines = new ArrayList<>();
                    flow.results().subList(before, flow.results().size()).forEach(r -> lines.addAll(said(r)));
                    return lines;
                });
        if (next[0] == null) {
            window.status(result.isEmpty() ? "" : result.get(0));
            return new FixFlow.Done(new FixResult.NotApplied(plan, "failed: see the log")); // said in its window
        }
        FixResult r = flow.results().get(before);
        if (r instanceof FixResult.Applied a && a.undoable()) {
            undoable = a.journalId();
        }
        window.render();
        window.status(r instanceof FixResult.RolledBack || r instanceof FixResult.NotApplied
                ? (result.isEmpty() ? "" : result.get(0)) : String.join(" ", said(r)));
        return next[0];
    }

    /** What a result of the flow says, in lines for the progress window and the status bar. */
    private static List<String> said(FixResult r) {
        List<String> lines = new ArrayList<>();
        if (r instanceof FixResult.NotApplied n) {
            lines.add("Not applied: " + n.error());
        } else if (r instanceof FixResult.RolledBack b) {
            lines.add("Rolled back, nothing is left changed: " + (b.outcome().error() != null ? b.outcome().error()
                    : b.outcome().verification().summary()));
        } else if (r instanceof FixResult.NothingToChange) {
            lines.add("Nothing to change: the system is already as the plan wants it.");
        } else if (r instanceof FixResult.Applied a) {
            lines.add("Applied as " + a.journalId() + ".");
            lines.add(a.verified() ? "Verified: " + a.outcome().verification().summary()
                    : "triage cannot verify this one: check by hand.");
        } else if (r instanceof FixResult.StillToDo t) {
            lines.add("Still to do: " + t.what());
        }
        return lines;
    }

    private void undo() {
        String id = undoable;
        FixRunner.UndoOutcome[] outcome = {null};
        String[] error = {null};
        List<String> result = progress("Undo " + id, "undoing " + id, log -> {
            try {
                outcome[0] = window.session.undo(id, log);
            } catch (FixException e) {
                error[0] = dev.triage.host.Failures.words(e);
            }
        }, () -> error[0] != null ? List.of("Not undone: " + error[0])
                : List.of("Undone: " + outcome[0].reverted() + " change(s) reverted" + (outcome[0].problems().isEmpty() ? ""
                : "; problems: " + outcome[0].problems())));
        if (error[0] == null) {
            undoable = null;
        }
        window.render();
        window.status(String.join(" ", result));
    }

    private void saveScript(FixPlan plan) {
        if (plan.actions().isEmpty()) {
            window.status("This fix has no changes to keep as a script.");
            return;
        }
        try {
            Path file = window.session.savePlanScript(plan);
            window.status("Plan saved for review (not executable): " + file);
        } catch (Exception e) {
            window.status("Could not save the plan: " + dev.triage.host.Failures.words(e) + " (start triage from a folder you can write)");
        }
    }

    /**
     * Runs work off the GUI thread in a window that shows its progress lines; the window's Close
     * button appears when it ends. Returns the result lines.
     */
    private List<String> progress(String title, String busy, Consumer<Consumer<String>> work,
                                  java.util.function.Supplier<List<String>> result) {
        boolean[] done = {false};
        BasicWindow dialog = new Dialogs.Modal(window, title, "Wait: each change is journaled; Close appears when it is done") {
            @Override
            public boolean handleInput(KeyStroke key) {
                boolean ctrlC = key.getKeyType() == KeyType.Character && key.isCtrlDown() && key.getCharacter() == 'c';
                if (!done[0] && (key.getKeyType() == KeyType.Escape || ctrlC)) {
                    return true; // a fix stops only between its journaled steps: never half-way from a key
                }
                return super.handleInput(key);
            }
        };
        int w = Math.max(30, window.size().getColumns() - 8);
        TextBox log = new TextBox(new TerminalSize(w, Math.max(4, window.size().getRows() - 10)), "", TextBox.Style.MULTI_LINE);
        log.setReadOnly(true);
        log.setTheme(TuiTheme.pane(window.color));
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(log);
        dialog.setComponent(panel);
        dialog.setHints(Set.of(BasicWindow.Hint.CENTERED, BasicWindow.Hint.MODAL));
        List<String> lines = new ArrayList<>();
        window.busy(busy);
        window.work("triage-wizard-fix", () -> {
            try {
                work.accept(line -> later(() -> addWrapped(log, line, w - 2)));
            } catch (RuntimeException e) {
                Logger.error(e, "fix failed");
                later(() -> log.addLine("failed: " + dev.triage.host.Failures.words(e)));
            }
            later(() -> {
                done[0] = true;
                window.busy(null);
                lines.addAll(result.get());
                lines.forEach(l -> addWrapped(log, l, w - 2));
                Button close = new Button("Close", dialog::close);
                panel.addComponent(close);
                dialog.setFocusedInteractable(close);
            });
        });
        window.gui.addWindowAndWait(dialog);
        return lines;
    }

    private static void addWrapped(TextBox log, String line, int width) {
        List<String> parts = HumanReport.wrap(line, width);
        for (int i = 0; i < parts.size(); i++) {
            log.addLine((i == 0 ? "" : "  ") + parts.get(i));
        }
    }

    private void later(Runnable r) {
        try {
            window.gui.getGUIThread().invokeLater(r);
        } catch (IllegalStateException e) {
            // the wizard was left
        }
    }
}
