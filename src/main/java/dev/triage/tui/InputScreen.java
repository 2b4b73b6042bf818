package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.Borders;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.GridLayout;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import dev.triage.report.HumanReport;
import dev.triage.scenario.InputSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step 2: the scenario's inputs as a form. Fields start at their defaults; each value is checked as
 * it is typed, with the problem next to its field and in full in the pane below, which also says
 * what the field under the cursor means. The tests start only from a form without problems.
 */
final class InputScreen implements WizardScreen {
    private final WizardWindow window;
    private final List<InputSpec> fields;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<FieldBox> boxes = new ArrayList<>();
    private final List<Label> marks = new ArrayList<>();
    private int focused;
    private boolean onRun;
    private Button run;
    private Label about;
    private int width = 80;

    /** A field that tells the screen when it gets the focus, to explain itself below. */
    private final class FieldBox extends TextBox {
        private final int index;

        FieldBox(int index, TerminalSize size, String text) {
            super(size, text);
            this.index = index;
        }

        @Override
        protected void afterEnterFocus(FocusChangeDirection direction, Interactable previouslyInFocus) {
            super.afterEnterFocus(direction, previouslyInFocus);
            focused = index;
            onRun = false;
            updateAbout();
        }
    }

    InputScreen(WizardWindow window) {
        this.window = window;
        this.fields = window.session.fields();
        for (InputSpec in : fields) {
            values.put(in.name(), window.session.initialValue(in));
        }
    }

    @Override
    public String title() {
        return "Inputs (" + window.session.scenario().id() + ")";
    }

    @Override
    public String hints() {
        return "Tab/Up/Down field  Enter next  Esc back  F2 explain";
    }

    @Override
    public String helpSection() {
        return "inputs";
    }

    @Override
    public Component build(TerminalSize size) {
        width = size.getColumns();
        boxes.clear();
        marks.clear();
        int nameWidth = Math.min(18, fields.stream().mapToInt(f -> f.name().length()).max().orElse(8) + 1);
        int markWidth = 22;
        int boxWidth = Math.max(12, width - nameWidth - markWidth - 6);
        Panel form = new Panel(new GridLayout(3).setHorizontalSpacing(1).setVerticalSpacing(0));
        for (int i = 0; i < fields.size(); i++) {
            InputSpec in = fields.get(i);
            form.addComponent(new Label(WizardWindow.fit(in.name() + (in.required() ? "*" : ""), nameWidth)));
            FieldBox box = new FieldBox(i, new TerminalSize(boxWidth, 1), values.get(in.name()));
            if (!window.color) {
                // without colour a field has no background: show where to type
                ((TextBox.DefaultTextBoxRenderer) box.getRenderer()).setUnusedSpaceCharacter('_');
            }
            box.setTextChangeListener((text, byUser) -> {
                values.put(in.name(), text);
                check();
            });
            boxes.add(box);
            form.addComponent(box);
            Label mark = new Label("");
            mark.setPreferredSize(new TerminalSize(markWidth, 1));
            marks.add(mark);
            form.addComponent(mark);
        }
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(new Label(WizardWindow.fit(window.session.scenario().title(), width)));
        panel.addComponent(form.withBorder(Borders.singleLine("Inputs (* required)")));
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        run = new Button("Run the tests", this::start) {
            @Override
            protected void afterEnterFocus(FocusChangeDirection direction, Interactable previouslyInFocus) {
                super.afterEnterFocus(direction, previouslyInFocus);
                onRun = true;
            }
        };
        buttons.addComponent(run);
        buttons.addComponent(new Button("Back", window::back));
        panel.addComponent(buttons);
        int aboutRows = Math.max(2, size.getRows() - fields.size() - 6);
        about = new Label("");
        about.setLabelWidth(width - 2);
        about.setPreferredSize(new TerminalSize(width - 2, aboutRows));
        panel.addComponent(about.withBorder(Borders.singleLine("About this field")));
        check();
        updateAbout();
        return panel;
    }

    @Override
    public Interactable focus() {
        return onRun ? run : boxes.isEmpty() ? run : boxes.get(Math.min(focused, boxes.size() - 1));
    }

    /** Marks each field with its problem, short, next to it. */
    private Map<String, String> check() {
        Map<String, String> problems = window.session.problems(values);
        for (int i = 0; i < fields.size() && i < marks.size(); i++) {
            String p = problems.get(fields.get(i).name());
            Label mark = marks.get(i);
            mark.setText(p == null ? "" : WizardWindow.fit("! " + shortProblem(p), 22));
            if (window.color) {
                mark.setForegroundColor(p == null ? TuiTheme.DEFAULT : TextColor.ANSI.RED);
            }
        }
        if (about != null) {
            updateAbout();
        }
        return problems;
    }

    private static String shortProblem(String p) {
        if (p.contains(" is required")) {
            return "required";
        }
        if (p.contains(" needs ")) {
            return "needs " + p.substring(p.indexOf(" needs ") + 7).split(" ")[0];
        }
        if (p.contains("too long")) {
            return "too long";
        }
        return "not valid";
    }

    private void updateAbout() {
        if (about == null || fields.isEmpty()) {
            return;
        }
        InputSpec in = fields.get(Math.min(focused, fields.size() - 1));
        List<String> lines = new ArrayList<>();
        lines.add(in.name() + ": " + in.prompt());
        String problem = window.session.problems(values).get(in.name());
        if (problem != null) {
            lines.addAll(HumanReport.wrap("! " + problem, width - 4));
        }
        if (in.help() != null) {
            lines.addAll(HumanReport.wrap(in.help(), width - 4));
        }
        if (!in.defaultValue().isEmpty()) {
            lines.add("default: " + in.defaultValue());
        }
        about.setText(String.join("\n", lines));
    }

    private void start() {
        Map<String, String> problems = check();
        if (!problems.isEmpty()) {
            String first = problems.keySet().iterator().next();
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name().equals(first)) {
                    focused = i;
                    window.setFocusedInteractable(boxes.get(i));
                }
            }
            window.status("Not started: " + problems.get(first));
            return;
        }
        window.show(new TestsScreen(window, new LinkedHashMap<>(values)));
    }
}
