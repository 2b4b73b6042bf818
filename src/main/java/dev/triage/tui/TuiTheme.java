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
 * focused field, underline for fields to type in.
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

    /** Read-only text panes: the terminal's colours, reverse video only where the caret is. */
    static Theme pane() {
        SimpleTheme t = new SimpleTheme(DEFAULT, DEFAULT);
        var base = t.getDefaultDefinition();
        base.setActive(DEFAULT, DEFAULT);
        base.setSelected(DEFAULT, DEFAULT);
        base.setInsensitive(DEFAULT, DEFAULT);
        base.setPreLight(DEFAULT, DEFAULT);
        return t;
    }
}
