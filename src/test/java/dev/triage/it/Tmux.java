package dev.triage.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The packaged jar in a real terminal: a detached tmux session of a given size on a tmux server of
 * its own (its own socket), driven with send-keys and read with capture-pane. The program runs from
 * a small shell script that, after the program ends, writes its exit code and the tty's settings
 * (stty -a) to files and prints a line, so a test can see the exit code and that the terminal came
 * back. Everything the pane writes is also kept raw (pipe-pane), escape sequences included.
 */
final class Tmux implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String SHELL_BACK = "TRIAGE-IT: the shell is back";
    private static final String SESSION = "it";
    private static final long POLL_MILLIS = 100;

    private final String socket = "triage-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path dir;
    private final Path exitFile;
    private final Path sttyFile;
    private final Path rawFile;
    private boolean started;
    private String socketPath;

    Tmux(Path dir) {
        this.dir = dir;
        this.exitFile = dir.resolve("exit");
        this.sttyFile = dir.resolve("stty.txt");
        this.rawFile = dir.resolve("raw.out");
    }

    /** Whether tmux is installed (the tests that need it skip otherwise). */
    static boolean available() {
        try {
            return run(List.of("tmux", "-V")).exit() == 0;
        } catch (AssertionError e) {
            return false;
        }
    }

    String socket() {
        return socket;
    }

    /**
     * Starts {@code triage ARGS} in a new cols x rows session. The program sees exactly the locale
     * and terminal variables in {@code env} (LANG, LC_*, TERM, NO_COLOR, COLUMNS and LINES are unset
     * first); everything else (PATH, DOCKER_HOST) comes from the test's environment.
     */
    void start(int cols, int rows, Map<String, String> env, String... args) {
        List<String> argv = Sh.triage(args);
        argv.set(2, Path.of(argv.get(2)).toAbsolutePath().toString()); // the jar: the script runs in dir
        StringBuilder cmd = new StringBuilder("env");
        for (String unset : List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TERM", "NO_COLOR",
                "COLUMNS", "LINES", "TMUX", "TMUX_PANE")) {
            cmd.append(" -u ").append(unset);
        }
        env.forEach((k, v) -> cmd.append(' ').append(quote(k + "=" + v)));
        for (String a : argv) {
            cmd.append(' ').append(quote(a));
        }
        String script = String.join("\n",
                "#!/bin/sh",
                "cd " + quote(dir.toString()),
                // start only once pipe-pane is in place, so the raw log has the very first byte
                "while [ ! -e go ]; do sleep 0.05; done",
                // Ctrl-C in line mode is a SIGINT to the whole foreground group: this shell must outlive it
                // to record the exit code (a trapped signal is reset to the default in the program)
                "trap : INT",
                cmd.toString(),
                "code=$?",
                "stty -a > stty.txt 2>&1",
                "echo $code > exit.tmp && mv exit.tmp exit",
                "echo '" + SHELL_BACK + "'",
                "exec sleep 3600",
                "");
        try {
            Files.writeString(dir.resolve("run.sh"), script);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        tmux("new-session", "-d", "-s", SESSION, "-x", String.valueOf(cols), "-y", String.valueOf(rows),
                "sh " + quote(dir.resolve("run.sh").toString()));
        started = true;
        socketPath = tmux("display-message", "-p", "-t", SESSION, "#{socket_path}").out().strip();
        tmux("set-option", "-t", SESSION, "status", "off");
        tmux("pipe-pane", "-t", SESSION, "-o", "cat >> " + quote(rawFile.toString()));
        try {
            Files.writeString(dir.resolve("go"), "");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Keys by tmux's names (Enter, Escape, Tab, BSpace, Up, F1, C-c), each one as its own send-keys. */
    void keys(String... keys) {
        for (String k : keys) {
            tmux("send-keys", "-t", SESSION, k);
        }
    }

    /** One key pressed {@code times} times in one send-keys. */
    void repeat(String key, int times) {
        tmux("send-keys", "-t", SESSION, "-N", String.valueOf(times), key);
    }

    /** Text typed as it is (no key names). */
    void type(String text) {
        tmux("send-keys", "-t", SESSION, "-l", text);
    }

    /** The visible screen, each line without trailing spaces. */
    String screen() {
        return strip(tmux("capture-pane", "-p", "-t", SESSION).out());
    }

    /** The whole history and screen, wrapped lines joined (for the line dialog). */
    String history() {
        return strip(tmux("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION).out());
    }

    /** Whether the pane shows the alternate screen (a full-screen program is in charge). */
    boolean alternateScreen() {
        return tmux("display-message", "-p", "-t", SESSION, "#{alternate_on}").out().strip().equals("1");
    }

    void resize(int cols, int rows) {
        tmux("resize-window", "-t", SESSION, "-x", String.valueOf(cols), "-y", String.valueOf(rows));
    }

    /**
     * Polls the screen every 100 ms until it satisfies {@code ok} and has settled (two captures in a
     * row alike); fails with the last screen after the deadline.
     */
    String waitFor(String what, Predicate<String> ok) {
        return waitFor(what, DEADLINE, false, ok);
    }

    String waitFor(String what, Duration deadline, boolean history, Predicate<String> ok) {
        long until = System.nanoTime() + deadline.toNanos();
        String last = "";
        String previous = null;
        while (true) {
            last = history ? history() : screen();
            // the same screen on two captures 100 ms apart: not one caught half-way through a redraw
            if (ok.test(last) && last.equals(previous)) {
                return last;
            }
            previous = last;
            if (System.nanoTime() > until) {
                throw new AssertionError("waited " + deadline.toSeconds() + " s for " + what + "; the "
                        + (history ? "history" : "screen") + " is:\n" + framed(last) + exitNote());
            }
            pause();
        }
    }

    /** Waits until the screen shows {@code text}. */
    String waitForText(String text) {
        return waitFor("'" + text + "'", s -> s.contains(text));
    }

    /** Presses a key and waits until the screen changes (or the program ended); returns the new screen. */
    String pressAndWaitForChange(String key) {
        String before = screen();
        keys(key);
        return waitFor("the screen to change after " + key, s -> !s.equals(before) || exitCode().isPresent());
    }

    /** The program's exit code once it ended. */
    OptionalInt exitCode() {
        try {
            if (!Files.exists(exitFile)) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(Integer.parseInt(Files.readString(exitFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** Waits for the program to end, and for the shell after it to print its line; returns the exit code. */
    int waitForExit(Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        while (exitCode().isEmpty() || !screen().contains(SHELL_BACK)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the program did not end within " + deadline.toSeconds() + " s; the screen is:\n"
                        + framed(screen()));
            }
            pause();
        }
        return exitCode().getAsInt();
    }

    /** The tty's settings after the program ended (stty -a). */
    String sttyAfterExit() {
        try {
            return Files.readString(sttyFile);
        } catch (IOException e) {
            throw new AssertionError("no stty output: " + e.getMessage());
        }
    }

    /** Everything the pane received, escape sequences included. */
    String raw() {
        try {
            return Files.exists(rawFile) ? Files.readString(rawFile, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A screen in a frame, to read in a failure message. */
    static String framed(String screen) {
        return screen.lines().map(l -> "  |" + l).collect(Collectors.joining("\n"));
    }

    private String exitNote() {
        return exitCode().isPresent() ? "\n(the program has ended with exit code " + exitCode().getAsInt() + ")" : "";
    }

    /**
     * Leaves the program as a user would if it still runs (Ctrl-C, so it removes its probe
     * containers), then kills this tmux server.
     */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        try {
            if (exitCode().isEmpty()) {
                keys("C-c");
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (exitCode().isEmpty() && System.nanoTime() < until) {
                    pause();
                }
                if (exitCode().isEmpty()) {
                    keys("C-c"); // line mode at a prompt: the first one may only have stopped the tests
                    until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (exitCode().isEmpty() && System.nanoTime() < until) {
                        pause();
                    }
                }
            }
        } catch (RuntimeException | AssertionError e) {
            System.err.println("tmux: " + e.getMessage());
        } finally {
            run(List.of("tmux", "-L", socket, "kill-server"));
            if (socketPath != null && socketPath.endsWith("/" + socket)) {
                try {
                    Files.deleteIfExists(Path.of(socketPath));
                } catch (IOException e) {
                    System.err.println("tmux: cannot remove " + socketPath + ": " + e.getMessage());
                }
            }
        }
    }

    private Sh.Result tmux(String... args) {
        List<String> argv = new ArrayList<>(List.of("tmux", "-u", "-L", socket, "-f", "/dev/null"));
        argv.addAll(List.of(args));
        return run(argv).orFail(String.join(" ", argv));
    }

    /** tmux itself runs with a UTF-8 locale (capture-pane's output), outside any tmux the tests were started from. */
    private static Sh.Result run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        env.remove("TMUX");
        env.remove("LC_ALL");
        env.remove("LC_CTYPE");
        env.put("LANG", "C.UTF-8");
        try {
            return Sh.waitFor(pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start(), 20);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + argv + ": " + e.getMessage(), e);
        }
    }

    private static String strip(String text) {
        return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).stripTrailing();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
