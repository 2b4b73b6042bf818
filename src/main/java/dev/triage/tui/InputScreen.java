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
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
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
    /** Where the focus is, so that the hint names what Enter does there and a redraw keeps it there. */
    private enum Place { FIELD, RUN, BACK }
    private Place place = Place.FIELD;
    private Button run;
    private Button backButton;
    private Label about;
    private int width = 80;
    /** Whether the engine answered a listing: only then do fields that name its objects offer F4. */
    private volatile boolean engineLists;

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
            place = Place.FIELD;
            updateAbout();
        }

        @Override
        protected void afterLeaveFocus(FocusChangeDirection direction, Interactable nextInFocus) {
            super.afterLeaveFocus(direction, nextInFocus);
            String resolved = window.session.resolve(fields.get(index), getText());
            if (!resolved.equals(getText())) {
                setText(resolved); // a relative path shown as the tests take it
            }
        }

        /** The line-editing keys of a shell: Ctrl-A/Home, Ctrl-E/End, Ctrl-U, Ctrl-W, Ctrl-K; Enter runs the tests. */
        @Override
        public synchronized Result handleKeyStroke(KeyStroke key) {
            String text = getText();
            int caret = Math.min(getCaretPosition().getColumn(), text.length());
            KeyType t = key.getKeyType();
            if (t == KeyType.Enter) {
                start();
                return Result.HANDLED;
            }
            if (t == KeyType.F4 && engineLists && window.session.offersChoices(fields.get(index))) {
                pick(index);
                return Result.HANDLED;
            }
            if (t == KeyType.Home || ctrl(key, 'a')) {
                setCaretPosition(0);
                return Result.HANDLED;
            }
            if (t == KeyType.End || ctrl(key, 'e')) {
                setCaretPosition(text.length());
                return Result.HANDLED;
            }
            if (ctrl(key, 'u')) {
                edit(text.substring(caret), 0);
                return Result.HANDLED;
            }
            if (ctrl(key, 'k')) {
                edit(text.substring(0, caret), caret);
                return Result.HANDLED;
            }
            if (ctrl(key, 'w')) {
                int from = caret;
                while (from > 0 && text.charAt(from - 1) == ' ') {
                    from--;
                }
                while (from > 0 && "/ :.".indexOf(text.charAt(from - 1)) < 0) {
                    from--;
                }
                if (from == caret && from > 0) {
                    from--; // a separator right before the caret goes alone
                }
                edit(text.substring(0, from) + text.substring(caret), from);
                return Result.HANDLED;
            }
            if (t == KeyType.Character && (key.isCtrlDown() || key.isAltDown())) {
                return Result.UNHANDLED; // never typed in as a letter
            }
            return super.handleKeyStroke(key);
        }

        private void edit(String text, int caret) {
            setText(text);
            setCaretPosition(caret);
        }
    }

    private static boolean ctrl(KeyStroke key, char c) {
        return key.getKeyType() == KeyType.Character && key.isCtrlDown() && Character.toLowerCase(key.getCharacter()) == c;
    }

    InputScreen(WizardWindow window) {
        this.window = window;
        this.fields = window.session.fields();
        Map<String, String> draft = window.drafts.getOrDefault(window.session.scenario().id(), Map.of());
        for (InputSpec in : fields) {
            String initial = window.session.initialValue(in);
            // what was typed before Back comes back, except where a started lab gives its own value
            values.put(in.name(), initial.equals(in.defaultValue()) ? draft.getOrDefault(in.name(), initial) : initial);
        }
        fields.stream().filter(window.session::offersChoices).findFirst().ifPresent(in -> window.work("triage-wizard-lists", () -> {
            try {
                window.session.choices(in);
                engineLists = true;
                later(window::refreshHints);
            } catch (dev.triage.docker.EngineUnreachableException | RuntimeException e) {
                // no engine: the fields stay plain text fields
            }
        }));
    }

    private void later(Runnable r) {
        try {
            window.gui.getGUIThread().invokeLater(r);
        } catch (IllegalStateException e) {
            // the wizard was left
        }
    }

    /** F4 on a field naming a container, network or compose project: the engine's list to choose from. */
    private void pick(int index) {
        InputSpec in = fields.get(index);
        try {
            String chosen = Dialogs.pick(window, "Choose " + in.name(), window.session.choices(in));
            if (chosen == null) {
                return;
            }
            if (in.name().equals("compose-file")) {
                Map<String, String> given = window.session.fromComposeProject(chosen);
                for (int i = 0; i < fields.size(); i++) {
                    String v = given.get(fields.get(i).name());
                    if (v != null) {
                        boxes.get(i).setText(v);
                    }
                }
                window.status("From compose project " + chosen + ": " + String.join(", ", given.keySet()) + " filled in.");
            } else {
                boxes.get(index).setText(chosen);
            }
        } catch (dev.triage.docker.EngineUnreachableException | RuntimeException e) {
            engineLists = false;
            window.status("The Docker engine does not answer: type the name.");
        }
    }

    @Override
    public String title() {
        return "Inputs (" + window.session.scenario().id() + ")";
    }

    @Override
    public String hints() {
        boolean picks = engineLists && place == Place.FIELD && !fields.isEmpty()
                && window.session.offersChoices(fields.get(Math.min(focused, fields.size() - 1)));
        return switch (place) {
            case RUN -> "Enter run the tests  Tab/Up/Down field  Esc back  F2 explain";
            case BACK -> "Enter back to the symptoms  Tab/Up/Down field  Esc back  F2 explain";
            case FIELD -> "Enter run the tests  Tab/Up/Down field" + (picks ? "  F4 pick from Docker" : "  Ctrl-U/W erase")
                    + "  Esc back  F2 explain";
        };
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
        // the longest label (a * marks a required field): the grid makes its column that wide
        int nameWidth = Math.min(18, fields.stream().mapToInt(f -> f.name().length() + (f.required() ? 1 : 0)).max().orElse(8));
        int markWidth = 22;
        // the box is as wide as the others: name, field and mark, two spaces between, the grid's
        // margins and two borders (one column more and the grid cut the names: "compose-fil")
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
                if (window.status().startsWith("Not started:") && !window.session.problems(values).containsKey(in.name())) {
                    window.status(""); // the problem it named is corrected
                }
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
                place = Place.RUN;
            }
        };
        buttons.addComponent(run);
        backButton = new Button("Back", this::back) {
            @Override
            protected void afterEnterFocus(FocusChangeDirection direction, Interactable previouslyInFocus) {
                super.afterEnterFocus(direction, previouslyInFocus);
                place = Place.BACK; // Enter goes back from here: the hint says so, a redraw keeps the focus here
            }
        };
        buttons.addComponent(backButton);
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
        return switch (place) {
            case RUN -> run;
            case BACK -> backButton;
            case FIELD -> boxes.isEmpty() ? run : boxes.get(Math.min(focused, boxes.size() - 1));
        };
    }

    @Override
    public boolean onBack() {
        back();
        return true;
    }

    /** Back to the symptoms, keeping what was typed for when this symptom is chosen again. */
    private void back() {
        window.drafts.put(window.session.scenario().id(), new LinkedHashMap<>(values));
        window.back();
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
        Map<String, String> run = new LinkedHashMap<>();
        for (InputSpec in : fields) {
            run.put(in.name(), window.session.resolve(in, values.get(in.name())));
        }
        window.drafts.put(window.session.scenario().id(), new LinkedHashMap<>(run));
        window.show(new TestsScreen(window, run));
    }
}
