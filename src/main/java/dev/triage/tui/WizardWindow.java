package dev.triage.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.gui2.BasicWindow;
import com.googlecode.lanterna.gui2.BorderLayout;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.gui2.Interactable;
import com.googlecode.lanterna.gui2.Label;
import com.googlecode.lanterna.gui2.Panel;
import com.googlecode.lanterna.gui2.TextBox;
import com.googlecode.lanterna.gui2.WindowBasedTextGUI;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.triage.wizard.HelpText;
import dev.triage.wizard.WizardSession;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * The wizard's one full-screen window: a header, the current screen, a status line and the hint
 * line of keys. It keeps the stack of screens (Esc/q goes back), the keys that work everywhere
 * (?/F1 help, e/F2 explain, Ctrl-C leave), and re-lays the screen out when the terminal is resized.
 */
final class WizardWindow extends BasicWindow {
    /** Below this the screens cannot show a test list and its hint line: say so instead. */
    static final TerminalSize MINIMUM = new TerminalSize(60, 16);

    final WindowBasedTextGUI gui;
    final WizardSession session;
    final Marks marks;
    final boolean color;
    private boolean explain;
    private final Deque<WizardScreen> stack = new ArrayDeque<>();
    private TerminalSize size;
    private String status = "";
    private Label statusLine;
    private Label hintLine;
    /** Rows the status line takes now: a long message wraps (up to {@link #STATUS_ROWS}) rather than being cut. */
    private int statusRows = 1;
    private static final int STATUS_ROWS = 3;
    /** What was typed in a form left with Back, by scenario id: choosing it again brings it back. */
    final java.util.Map<String, java.util.Map<String, String>> drafts = new java.util.HashMap<>();
    private int exitCode = 130;
    private volatile boolean leaving;
    /** Work off the GUI thread that must finish before the wizard can leave (a fix being applied). */
    private volatile String busy;
    private Runnable onLeave = () -> { };
    /** Threads doing the session's work (a diagnosis, a fix): the wizard waits for them before it closes the session. */
    private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

    WizardWindow(WindowBasedTextGUI gui, WizardSession session, Marks marks, boolean color, boolean explain, TerminalSize size) {
        this.gui = gui;
        this.session = session;
        this.marks = marks;
        this.color = color;
        this.explain = explain;
        this.size = size;
        setHints(Set.of(Hint.FULL_SCREEN, Hint.NO_DECORATIONS));
    }

    boolean explain() {
        return explain;
    }

    /** The exit code when the window closes: the last diagnosis's, or 130 when left before one. */
    int exitCode() {
        return exitCode;
    }

    void exitCode(int code) {
        exitCode = code;
    }

    boolean leaving() {
        return leaving;
    }

    /** What to stop when the wizard is left (a running diagnosis). */
    void onLeave(Runnable r) {
        onLeave = r;
    }

    /** Starts work off the GUI thread; the wizard waits for it at exit so its cleanup completes. */
    Thread work(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        workers.add(t);
        t.start();
        return t;
    }

    /** Waits (bounded) for the work still running after the window closed; true when all ended. */
    boolean awaitWork(long millis) {
        long until = System.currentTimeMillis() + millis;
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, until - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return workers.stream().noneMatch(Thread::isAlive);
    }

    void busy(String what) {
        busy = what;
    }

    void show(WizardScreen screen) {
        stack.push(screen);
        status = "";
        render();
    }

    /** Replaces the current screen (a run that ended goes on to its verdict, not on top of it). */
    void replace(WizardScreen screen) {
        stack.pop();
        show(screen);
    }

    /** Back to the first screen, for a new diagnosis. */
    void restart() {
        while (stack.size() > 1) {
            stack.pop();
        }
        if (stack.peek() != null) {
            stack.peek().onBack(); // a new diagnosis starts from the whole list: the filter is cleared
        }
        status = "";
        render();
    }

    void back() {
        if (stack.size() > 1) {
            stack.pop();
            status = "";
            render();
        } else {
            quit();
        }
    }

    /**
     * Leaves as the admin asked (Quit, Esc on the first screen): after a problem verdict whose report
     * was not saved, asks first whether to save it, as the line dialog does.
     */
    void quit() {
        if (session.reportUnsaved() && Dialogs.confirm(this, "Save the report?", List.of(
                "The last diagnosis found a problem and its report was not saved.",
                "Save it (Markdown and JSON) to attach to a ticket before leaving?"), "Save report", "Leave without")) {
            if (!VerdictScreen.saveReport(this)) {
                return; // not saved (cancelled, or the folder refused): stay, nothing is lost
            }
        }
        leave(exitCode);
    }

    WizardScreen current() {
        return stack.peek();
    }

    /** The line above the hints: what just happened (saved, cancelled, a refusal). */
    void status(String text) {
        status = text == null ? "" : text;
        if (statusLine != null) {
            if (statusLines().size() != statusRows) {
                render(); // the body gives the status line the rows it needs
            } else {
                statusLine.setText(String.join("\n", statusLines()));
            }
        }
    }

    String status() {
        return status;
    }

    /** The status wrapped to the width, at most {@link #STATUS_ROWS} rows (the last one cut with ~). */
    private List<String> statusLines() {
        int cols = size.getColumns();
        // a word longer than the row (a path) is split, not cut: the admin copies it from here
        List<String> lines = status.isEmpty() ? List.of("") : Dialogs.fit(List.of(status), cols - 1, l -> false);
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (out.size() == STATUS_ROWS - 1 && lines.size() > STATUS_ROWS) {
                out.add(fit(l + " ...", cols));
                break;
            }
            out.add(fit(l, cols));
        }
        return out;
    }

    /** The hint lines of the dialogs open over the screen, the top one shown. */
    private final Deque<String> dialogHints = new ArrayDeque<>();

    void dialogOpened(String keys) {
        dialogHints.push(keys);
        refreshHints();
    }

    void dialogClosed() {
        dialogHints.poll();
        refreshHints();
    }

    /** Sets the hint line from the screen, for what has the focus now (or from the dialog open over it). */
    void refreshHints() {
        WizardScreen screen = stack.peek();
        if (hintLine != null && !dialogHints.isEmpty()) {
            hintLine.setText(" " + whole(dialogHints.peek(), size.getColumns() - 1));
        } else if (hintLine != null && screen != null) {
            hintLine.setText(" " + (tooSmall() ? "Esc/q quit" : whole(screen.hints() + "  F1 help", size.getColumns() - 1)));
        }
    }

    /**
     * The hints that fit whole in {@code width}: keys are left out from the end (F1 help first),
     * never cut half-way, so what the line names is a key that acts, said in full.
     */
    static String whole(String hints, int width) {
        List<String> keys = new ArrayList<>(List.of(dev.triage.report.Printable.line(hints).split(" {2}")));
        if (String.join("  ", keys).length() > width) {
            keys.remove("F1 help"); // ? still opens the help; the keys of this screen matter more
        }
        while (keys.size() > 1 && String.join("  ", keys).length() > width) {
            keys.remove(keys.size() - 1);
        }
        return fit(String.join("  ", keys), width);
    }

    /**
     * A label that wraps at {@code width} and asks for the rows it needs. Lanterna's setLabelWidth
     * alone keeps the size of the text set before it (one row): a long title would show its first row only.
     */
    static Label wrapped(String text, int width) {
        Label label = new Label("");
        label.setLabelWidth(Math.max(1, width));
        label.setText(text);
        return label;
    }

    void resized(TerminalSize newSize) {
        size = newSize;
        render();
    }

    TerminalSize size() {
        return size;
    }

    /** The body's size: the window minus the header, the status line and the hint line. */
    TerminalSize bodySize() {
        return new TerminalSize(size.getColumns(), Math.max(1, size.getRows() - 2 - statusRows));
    }

    boolean tooSmall() {
        return size.getColumns() < MINIMUM.getColumns() || size.getRows() < MINIMUM.getRows();
    }

    /** Builds the current screen again for the current size, keeping its state. */
    void render() {
        WizardScreen screen = stack.peek();
        if (screen == null) {
            return;
        }
        Panel root = new Panel(new BorderLayout());
        Label header = new Label(fit(" triage  " + marks.arrow() + "  " + screen.title()
                + (explain ? "   [explain mode]" : ""), size.getColumns()));
        header.addStyle(SGR.BOLD);
        root.addComponent(header, BorderLayout.Location.TOP);
        Panel bottom = new Panel(new com.googlecode.lanterna.gui2.LinearLayout());
        List<String> statusText = statusLines();
        statusRows = statusText.size();
        statusLine = new Label(String.join("\n", statusText));
        Label hint = new Label("");
        hintLine = hint;
        hint.addStyle(SGR.REVERSE);
        if (color) {
            statusLine.setForegroundColor(TextColor.ANSI.YELLOW);
        }
        bottom.addComponent(statusLine);
        bottom.addComponent(hint);
        root.addComponent(bottom, BorderLayout.Location.BOTTOM);
        if (tooSmall()) {
            Label small = wrapped("The terminal is " + size.getColumns() + "x" + size.getRows()
                    + "; the wizard needs at least " + MINIMUM.getColumns() + "x" + MINIMUM.getRows()
                    + ". Enlarge the window (nothing is lost), or run: triage --plain", Math.max(10, size.getColumns() - 2));
            root.addComponent(small, BorderLayout.Location.CENTER);
        } else {
            Component body = screen.build(bodySize());
            root.addComponent(body, BorderLayout.Location.CENTER);
        }
        Interactable wanted = tooSmall() ? null : screen.focus();
        setComponent(root);
        if (wanted != null) {
            setFocusedInteractable(wanted);
        }
        refreshHints();
    }

    @Override
    public boolean handleInput(KeyStroke key) {
        if (key.getKeyType() == KeyType.Character && key.isCtrlDown() && key.getCharacter() == 'c') {
            if (busy != null) {
                status("Wait: " + busy + " (it is journaled and verified; Ctrl-C works again when it is done).");
                return true;
            }
            leave(130);
            return true;
        }
        if (key.getKeyType() == KeyType.EOF) {
            leave(130); // the terminal went away (ssh dropped): leave as for Ctrl-C
            return true;
        }
        if (tooSmall()) {
            if (key.getKeyType() == KeyType.Escape || isChar(key, 'q')) {
                quit();
            }
            return true;
        }
        boolean taken = handleKey(key);
        refreshHints(); // the keys that act depend on what has the focus now
        return taken;
    }

    private boolean handleKey(KeyStroke key) {
        WizardScreen screen = stack.peek();
        if (screen != null && screen.onKey(key)) {
            return true;
        }
        boolean typing = typing();
        if (key.getKeyType() == KeyType.F1 || (!typing && isChar(key, '?'))) {
            help();
            return true;
        }
        if (key.getKeyType() == KeyType.F2 || (!typing && isChar(key, 'e'))) {
            explain = !explain;
            render();
            status(explain ? "Explain mode on: each test shows what it checks and how to run it by hand."
                    : "Explain mode off.");
            return true;
        }
        if (key.getKeyType() == KeyType.Escape || (!typing && isChar(key, 'q'))) {
            if (screen == null || !screen.onBack()) {
                back();
            }
            return true;
        }
        return super.handleInput(key);
    }

    /** The focused component takes text: q, ? and e are letters there. */
    boolean typing() {
        return getFocusedInteractable() instanceof TextBox box && !box.isReadOnly();
    }

    static boolean isChar(KeyStroke key, char c) {
        return key.getKeyType() == KeyType.Character && !key.isCtrlDown() && !key.isAltDown() && key.getCharacter() == c;
    }

    void help() {
        var sections = HelpText.sections("help/keys.txt");
        List<String> lines = new ArrayList<>();
        WizardScreen screen = stack.peek();
        if (screen != null && sections.containsKey(screen.helpSection())) {
            lines.add(screen.title());
            lines.addAll(sections.get(screen.helpSection()));
            lines.add("");
        }
        lines.addAll(sections.getOrDefault("keys", List.of()));
        Dialogs.text(this, "Help", lines);
    }

    /** Leaves the wizard: stops what runs, closes the window; the caller restores the terminal. */
    void leave(int code) {
        if (leaving) {
            return;
        }
        leaving = true;
        exitCode = code;
        onLeave.run();
        close();
    }

    static String fit(String raw, int width) {
        String text = dev.triage.report.Printable.line(raw);
        if (text.length() <= width) {
            return text;
        }
        return width <= 1 ? text.substring(0, Math.max(0, width)) : text.substring(0, width - 1) + "~";
    }
}
