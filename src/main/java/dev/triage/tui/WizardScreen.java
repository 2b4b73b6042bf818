package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.gui2.Component;
import com.googlecode.lanterna.input.KeyStroke;

/**
 * One step of the wizard in the text UI. A screen keeps its own state (the filter, the values, the
 * selection) and builds its component again for any size, so a resize re-lays it out and loses
 * nothing. All logic is in {@link dev.triage.wizard.WizardSession}; a screen shows and asks.
 */
interface WizardScreen {

    /** The header, e.g. "Symptom". */
    String title();

    /** The hint line: the keys that matter on this screen. */
    String hints();

    /** The section of the help file for this screen. */
    String helpSection();

    /** The body for the given size (the whole window minus header and hint line). */
    Component build(TerminalSize size);

    /** The component to focus after a build (the one that had focus before a resize), or null for the first. */
    default com.googlecode.lanterna.gui2.Interactable focus() {
        return null;
    }

    /** Keys the screen takes before the focused component; true when taken. */
    default boolean onKey(KeyStroke key) {
        return false;
    }

    /** Esc or q: true when the screen handled it itself (cleared a filter, cancelled a run). */
    default boolean onBack() {
        return false;
    }
}
