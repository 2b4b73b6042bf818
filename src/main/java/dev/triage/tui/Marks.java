package dev.triage.tui;

import dev.triage.wizard.TestStatus;

/**
 * The marks a test row carries, as the terminal can show them: symbols on UTF-8, and
 * [OK]/[!!]/[XX] on an ASCII terminal, all of one width so that columns line up.
 */
record Marks(boolean ascii) {
    private static final String[] SPIN_UTF8 = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] SPIN_ASCII = {"[| ]", "[/ ]", "[- ]", "[\\ ]"};

    String of(TestStatus status) {
        return switch (status) {
            case PENDING -> ascii ? "[  ]" : " ";
            case RUNNING -> spin(0);
            case PASSED -> ascii ? "[OK]" : "✔";
            case WARNING -> ascii ? "[!!]" : "▲";
            case FAILED -> ascii ? "[XX]" : "✘";
            case INCONCLUSIVE -> ascii ? "[??]" : "?";
            case SKIPPED -> ascii ? "[--]" : "–";
        };
    }

    /** A frame of the running spinner; {@code tick} advances every redraw. */
    String spin(long tick) {
        String[] frames = ascii ? SPIN_ASCII : SPIN_UTF8;
        return frames[(int) Math.floorMod(tick, frames.length)];
    }

    /** A test that finished, before the verdict tells whether it passed. */
    String done() {
        return ascii ? "[->]" : "•";
    }

    String arrow() {
        return ascii ? "->" : "→";
    }

    String ellipsis() {
        return ascii ? "..." : "…";
    }

    int width() {
        return ascii ? 4 : 1;
    }
}
