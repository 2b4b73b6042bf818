package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.triage.app.Triage;
import dev.triage.wizard.WizardSession;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The text UI on Lanterna's virtual terminal: the real wizard runs on its own thread, the test feeds
 * keys and reads the text buffer, waiting (with a deadline) for what the screen should show.
 */
final class VirtualWizard implements AutoCloseable {
    final DefaultVirtualTerminal terminal;
    final WizardSession session;
    private final Thread thread;
    private volatile Integer exit;
    private volatile Throwable failure;

    VirtualWizard(Triage triage, java.nio.file.Path workDir, Map<String, String> env, int cols, int rows, boolean explain) {
        terminal = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
        session = new WizardSession(triage, Duration.ofSeconds(20), workDir, m -> { });
        TerminalProfile profile = TerminalProfile.decide(env, false, true);
        TextUi ui = new TextUi(session, terminal, profile, explain);
        thread = new Thread(() -> {
            try {
                exit = ui.run();
            } catch (Throwable t) {
                failure = t;
            }
        }, "virtual-wizard");
        thread.setDaemon(true);
        thread.start();
    }

    /** The screen as text, one line per row, trailing spaces kept. */
    String screen() {
        TerminalSize size = terminal.getTerminalSize();
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < size.getRows(); y++) {
            for (int x = 0; x < size.getColumns(); x++) {
                sb.append(terminal.getCharacter(x, y).getCharacterString());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Waits until the screen shows {@code text}; fails with the screen when it does not in time. */
    String waitFor(String text) {
        return waitFor(text, 10_000);
    }

    String waitFor(String text, long millis) {
        return waitUntil("'" + text + "'", shown -> shown.contains(text), millis);
    }

    /** Waits until the screen satisfies {@code test} ({@code what} names it in the failure). */
    String waitUntil(String what, java.util.function.Predicate<String> test, long millis) {
        long until = System.currentTimeMillis() + millis;
        String shown = screen();
        while (!test.test(shown)) {
            if (failure != null) {
                fail("the wizard failed: " + failure, failure);
            }
            if (System.currentTimeMillis() > until) {
                fail("the screen did not show " + what + " within " + millis + " ms:\n" + shown);
            }
            sleep(20);
            shown = screen();
        }
        return stable(shown);
    }

    /** The screen once a redraw is complete: two reads 60 ms apart that agree. */
    private String stable(String first) {
        String previous = first;
        for (int i = 0; i < 50; i++) {
            sleep(60);
            String now = screen();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    /** Waits until the screen no longer shows {@code text}. */
    String waitGone(String text) {
        long until = System.currentTimeMillis() + 10_000;
        String shown = screen();
        while (shown.contains(text)) {
            if (System.currentTimeMillis() > until) {
                fail("the screen still shows '" + text + "':\n" + shown);
            }
            sleep(20);
            shown = screen();
        }
        return stable(shown);
    }

    VirtualWizard type(String text) {
        for (char c : text.toCharArray()) {
            terminal.addInput(new KeyStroke(c, false, false));
        }
        return this;
    }

    VirtualWizard press(KeyType type) {
        terminal.addInput(new KeyStroke(type));
        return this;
    }

    VirtualWizard ctrl(char c) {
        terminal.addInput(new KeyStroke(c, true, false));
        return this;
    }

    /** Lets the UI thread take the keys sent so far (for steps whose screen looks the same before and after). */
    VirtualWizard settle() {
        sleep(200);
        return this;
    }

    int waitExit() throws InterruptedException {
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure != null) {
            fail("the wizard failed: " + failure, failure);
        }
        if (exit == null) {
            fail("the wizard did not end:\n" + screen());
        }
        return exit;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            ctrl('c');
            thread.join(10_000);
        }
        session.close();
    }
}
