package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.Direction;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.LinearLayout;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.triage.report.HumanReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The wizard's modal windows: a text to read (help, evidence, a plan), a yes/no question, a line to
 * type. Each one takes Ctrl-C like the main window (leave the wizard) and Esc as "no / close".
 */
final class Dialogs {
    private Dialogs() { }

    /** A modal window that passes Ctrl-C on to the wizard and closes on Esc. */
    static class Modal extends BasicWindow {
        private final WizardWindow owner;

        Modal(WizardWindow owner, String title) {
            this(owner, title, "Enter choose  Tab move  Esc cancel");
        }

        /** {@code keys}: the hint line while this window is open (the screen's keys do not act under it). */
        Modal(WizardWindow owner, String title, String keys) {
            super(title);
            this.owner = owner;
            setHints(Set.of(Hint.CENTERED, Hint.MODAL));
            owner.dialogOpened(keys);
        }

        @Override
        public void close() {
            super.close();
            owner.dialogClosed();
        }

        @Override
        public boolean handleInput(KeyStroke key) {
            if (key.getKeyType() == KeyType.Character && key.isCtrlDown() && key.getCharacter() == 'c') {
                close();
                return owner.handleInput(key);
            }
            if (key.getKeyType() == KeyType.EOF) {
                close();
                return owner.handleInput(key);
            }
            if (key.getKeyType() == KeyType.Escape) {
                close();
                return true;
            }
            return super.handleInput(key);
        }
    }

    /** The keys that close a text window, said the same on its hint line and in the window. */
    static final String TEXT_CLOSE = "Enter/Esc/q close";

    /** Lines to read in a scrolling pane, closed with Enter, Esc or q (from the pane or the Close button). */
    static void text(WizardWindow owner, String title, List<String> lines) {
        TerminalSize screen = owner.size();
        int width = Math.max(20, screen.getColumns() - 7); // the frame, and a scroll bar when it scrolls
        List<String> wrapped = fit(lines, width - 1, l -> false); // a line as wide as the view would scroll sideways
        int longest = wrapped.stream().mapToInt(String::length).max().orElse(10);
        int w = Math.min(width + 1, Math.max(30, longest + 2)); // room for the scroll bar: no sideways scrolling
        int h = Math.max(3, Math.min(screen.getRows() - 7, wrapped.size()));
        Modal dialog = new Modal(owner, title, (wrapped.size() > h ? "Up/Down PgUp/PgDn scroll  " : "") + TEXT_CLOSE) {
            @Override
            public boolean handleInput(KeyStroke key) {
                // Enter closes from the scrolling pane too (it has the focus when the text scrolls), not only on Close
                if (WizardWindow.isChar(key, 'q') || key.getKeyType() == KeyType.Enter) {
                    close();
                    return true;
                }
                return super.handleInput(key);
            }
        };
        TextBox pane = new TextBox(new TerminalSize(w, h), String.join("\n", wrapped), TextBox.Style.MULTI_LINE);
        pane.setReadOnly(true);
        pane.setTheme(TuiTheme.pane(owner.color));
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(pane);
        Button close = new Button("Close", dialog::close);
        panel.addComponent(close);
        if (wrapped.size() > h) {
            panel.addComponent(new Label("Up/Down PgUp/PgDn scroll  " + TEXT_CLOSE));
        }
        dialog.setComponent(panel);
        dialog.setFocusedInteractable(wrapped.size() > h ? pane : close);
        owner.gui.addWindowAndWait(dialog);
    }

    /** Whether a read-only pane holds more lines than it shows: the hint line then says how to scroll. */
    static boolean overflows(TextBox pane) {
        return pane != null && pane.getLineCount() > pane.getPreferredSize().getRows();
    }

    /** Sets a read-only pane's text and shows it from its first line (not where the previous text was scrolled to). */
    static void show(TextBox pane, String text) {
        pane.setText(text);
        pane.setCaretPosition(0, 0);
        if (pane.getRenderer() instanceof TextBox.DefaultTextBoxRenderer r) {
            r.setViewTopLeft(com.googlecode.lanterna.TerminalPosition.TOP_LEFT_CORNER);
        }
        pane.invalidate();
    }

    /**
     * Wraps the lines longer than {@code width} at spaces, keeping their indent, except those that
     * must stay exact (diff lines): a text pane scrolls sideways for those.
     */
    static List<String> fit(List<String> lines, int width, java.util.function.Predicate<String> exact) {
        List<String> out = new ArrayList<>();
        for (String raw : lines) {
            String line = dev.triage.report.Printable.line(raw);
            if (line.length() <= width || exact.test(line)) {
                out.add(line);
                continue;
            }
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            String more = indent + "  ";
            int room = Math.max(10, width - more.length());
            List<String> parts = new ArrayList<>();
            for (String part : HumanReport.wrap(line.strip(), room)) {
                while (part.length() > room) { // a word longer than the line (a path, a rule): cut, never scrolled
                    parts.add(part.substring(0, room));
                    part = part.substring(room);
                }
                parts.add(part);
            }
            for (int i = 0; i < parts.size(); i++) {
                out.add((i == 0 ? indent : more) + parts.get(i));
            }
        }
        return out;
    }

    /** A question with two answers; the second one (the safe one) has the focus. Esc answers no. */
    static boolean confirm(WizardWindow owner, String title, List<String> lines, String yes, String no) {
        boolean[] answer = {false};
        Modal dialog = new Modal(owner, title);
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        int width = Math.max(30, owner.size().getColumns() - 8);
        for (String line : lines) {
            HumanReport.wrap(line, width).forEach(l -> panel.addComponent(new Label(l)));
        }
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        buttons.addComponent(new Button(yes, () -> {
            answer[0] = true;
            dialog.close();
        }));
        Button safe = new Button(no, dialog::close);
        buttons.addComponent(safe);
        panel.addComponent(new Label(""));
        panel.addComponent(buttons);
        dialog.setComponent(panel);
        dialog.setFocusedInteractable(safe);
        owner.gui.addWindowAndWait(dialog);
        return answer[0];
    }

    /** A line to type with a starting value; null when Esc or Cancel. */
    static String ask(WizardWindow owner, String title, String prompt, String initial) {
        String[] answer = {null};
        Modal dialog = new Modal(owner, title);
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        int width = Math.max(30, owner.size().getColumns() - 8);
        HumanReport.wrap(prompt, width).forEach(l -> panel.addComponent(new Label(l)));
        TextBox box = new TextBox(new TerminalSize(width, 1), initial);
        panel.addComponent(box);
        Panel buttons = new Panel(new LinearLayout(Direction.HORIZONTAL));
        Runnable ok = () -> {
            answer[0] = box.getText().strip();
            dialog.close();
        };
        buttons.addComponent(new Button("OK", ok));
        buttons.addComponent(new Button("Cancel", dialog::close));
        panel.addComponent(buttons);
        dialog.setComponent(panel);
        dialog.setFocusedInteractable(box);
        dialog.addWindowListener(new com.googlecode.lanterna.gui2.WindowListenerAdapter() {
            @Override
            public void onInput(com.googlecode.lanterna.gui2.Window w, KeyStroke key, java.util.concurrent.atomic.AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Enter && dialog.getFocusedInteractable() == box) {
                    deliver.set(false);
                    ok.run();
                }
            }
        });
        box.setCaretPosition(initial.length());
        owner.gui.addWindowAndWait(dialog);
        return answer[0];
    }

    /** A list to choose from, filtered by typing (every word must match); the chosen name, or null on Esc. */
    static String pick(WizardWindow owner, String title, List<dev.triage.docker.EngineObjects.Item> items) {
        String[] answer = {null};
        StringBuilder filter = new StringBuilder();
        Modal dialog = new Modal(owner, title);
        int width = Math.max(30, owner.size().getColumns() - 8);
        Label line = new Label("");
        com.googlecode.lanterna.gui2.ActionListBox list = new com.googlecode.lanterna.gui2.ActionListBox(
                new TerminalSize(width, Math.max(3, Math.min(items.size() + 1, owner.size().getRows() - 8))));
        Runnable fill = () -> {
            line.setText(WizardWindow.fit("Type to filter: " + filter + "_   Enter choose  Esc cancel", width));
            list.clearItems();
            List<String> words = List.of(filter.toString().toLowerCase(java.util.Locale.ROOT).strip().split("\\s+"));
            for (dev.triage.docker.EngineObjects.Item it : items) {
                String text = (it.name() + " " + it.about()).toLowerCase(java.util.Locale.ROOT);
                if (words.stream().allMatch(text::contains)) {
                    list.addItem(WizardWindow.fit(it.name() + (it.about().isEmpty() ? "" : "  (" + it.about() + ")"), width - 1), () -> {
                        answer[0] = it.name();
                        dialog.close();
                    });
                }
            }
            if (list.getItemCount() == 0) {
                list.addItem("(nothing matches; Backspace)", () -> { });
            }
        };
        fill.run();
        Panel panel = new Panel(new LinearLayout(Direction.VERTICAL));
        panel.addComponent(line);
        panel.addComponent(list);
        dialog.setComponent(panel);
        dialog.setFocusedInteractable(list);
        dialog.addWindowListener(new com.googlecode.lanterna.gui2.WindowListenerAdapter() {
            @Override
            public void onInput(com.googlecode.lanterna.gui2.Window w, KeyStroke key, java.util.concurrent.atomic.AtomicBoolean deliver) {
                if (key.getKeyType() == KeyType.Backspace && filter.length() > 0) {
                    filter.setLength(filter.length() - 1);
                } else if (key.getKeyType() == KeyType.Character && !key.isCtrlDown() && !key.isAltDown()
                        && !Character.isISOControl(key.getCharacter()) && filter.length() < 40) {
                    filter.append(key.getCharacter());
                } else {
                    return;
                }
                deliver.set(false);
                fill.run();
            }
        });
        owner.gui.addWindowAndWait(dialog);
        return answer[0];
    }
}
