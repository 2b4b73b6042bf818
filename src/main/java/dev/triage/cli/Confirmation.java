package dev.triage.cli;

import java.io.Console;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks yes/no on the terminal. With --json the answer must not come from, nor the question go to,
 * stdout, so when stdout is redirected the controlling terminal (/dev/tty) is used directly.
 * Empty when there is no terminal at all (cron, ssh without -t).
 */
final class Confirmation {
    private Confirmation() { }

    static Optional<Boolean> ask(String question) {
        Console console = System.console();
        if (console != null) {
            String answer = console.readLine("%s [y/N] ", question);
            return Optional.of(yes(answer));
        }
        try (RandomAccessFile tty = new RandomAccessFile("/dev/tty", "rw")) {
            tty.write((question + " [y/N] ").getBytes(StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = tty.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return Optional.of(yes(line.toString()));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean yes(String answer) {
        return answer != null && answer.strip().toLowerCase(Locale.ROOT).matches("y|yes");
    }
}
