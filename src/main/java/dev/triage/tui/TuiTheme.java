package dev.triage.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.SimpleTheme;
import com.googlecode.lanterna.graphics.Theme;
import com.googlecode.lanterna.gui2.AbstractListBox;
import com.googlecode.lanterna.gui2.Button;
import com.googlecode.lanterna.gui2.TextBox;

/**
 * The wizard's look on the terminal's own background. Without colour (NO_COLOR, or a terminal
 * layer that drops colours) focus is still visible: reverse video for the selection and the
 * focused field, underline for fields to type in, bold for a focused read-only pane (a whole pane
 * in reverse video would shout; see {@link #pane(boolean)}).
 */
final class TuiTheme {
    private TuiTheme() { }

    static final TextColor DEFAULT = TextColor.ANSI.DEFAULT;

    static Theme of(boolean color) {
        SimpleTheme t = new SimpleTheme(DEFAULT, DEFAULT);
        var base = t.getDefaultDefinition();
        base.setPreLight(DEFAULT, DEFAULT, SGR.BOLD);
        base.setInsensitive(DEFAULT, DEFAULT);
        if (color) {
            base.setSelected(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
            base.setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD);
            t.addOverride(TextBox.class, TextColor.ANSI.WHITE, TextColor.ANSI.BLUE)
                    .setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
            t.addOverride(AbstractListBox.class, DEFAULT, DEFAULT).setSelected(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN);
            t.addOverride(Button.class, DEFAULT, DEFAULT).setActive(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD)
                    .setSelected(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN, SGR.BOLD);
        } else {
            base.setSelected(DEFAULT, DEFAULT, SGR.REVERSE);
            base.setActive(DEFAULT, DEFAULT, SGR.REVERSE);
            t.addOverride(TextBox.class, DEFAULT, DEFAULT, SGR.UNDERLINE).setActive(DEFAULT, DEFAULT, SGR.REVERSE);
            t.addOverride(AbstractListBox.class, DEFAULT, DEFAULT).setSelected(DEFAULT, DEFAULT, SGR.REVERSE);
            t.addOverride(Button.class, DEFAULT, DEFAULT).setActive(DEFAULT, DEFAULT, SGR.REVERSE)
                    .setSelected(DEFAULT, DEFAULT, SGR.REVERSE);
        }
        return t;
    }

    /**
     * Read-only text panes (the Why pane, the plan, the explain pane, a dialog's text). Lanterna draws
     * a focused read-only TextBox in its "selected" style and shows no cursor in it, so that style is
     * the only sign of where the focus is: a calm one, the text itself marked rather than a block of
     * colour. With colour the text turns cyan (the hue of focus elsewhere); without, it turns bold.
     * Unfocused, a pane keeps the terminal's colours.
     */
    static Theme pane(boolean color) {
        SimpleTheme t = new SimpleTheme(DEFAULT, DEFAULT);
        var base = t.getDefaultDefinition();
        base.setActive(DEFAULT, DEFAULT);
        if (color) {
            base.setSelected(TextColor.ANSI.CYAN, DEFAULT);
        } else {
            base.setSelected(DEFAULT, DEFAULT, SGR.BOLD);
        }
        base.setInsensitive(DEFAULT, DEFAULT);
        base.setPreLight(DEFAULT, DEFAULT);
        return t;
    }
}
