package dev.triage.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyType;
import dev.triage.app.Triage;
import dev.triage.wizard.DemoScenarios;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every screen of the text UI on a virtual 80x24 terminal, with the Docker-free {@link DemoScenarios}. */
class TextUiTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    private Triage triage() throws Exception {
        return DemoScenarios.triage(dir);
    }

    private VirtualWizard wizard(Map<String, String> env, int cols, int rows, boolean explain) throws Exception {
        VirtualWizard w = new VirtualWizard(triage(), dir, env, cols, rows, explain);
        open.add(w);
        return w;
    }

    private VirtualWizard wizard() throws Exception {
        return wizard(Map.of("LANG", "C.UTF-8", "TERM", "xterm"), 80, 24, false);
    }

    /** Esc from the tests screen back through the form and the filter, and out. */
    private static void leaveFromTheTests(VirtualWizard w) {
        w.press(KeyType.Escape).waitFor("Inputs (");
        w.press(KeyType.Escape).waitFor("Filter: demo flag_");
        w.press(KeyType.Escape).waitFor("Type words to filter");
        w.press(KeyType.Escape);
        w.waitFor("Save the report?"); // a problem verdict, its report not saved: asked before leaving
        w.press(KeyType.Enter); // Leave without
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Types a filter, picks the only match, fills the single field and starts the tests. */
    private void runDemo(VirtualWizard w, Path env) {
        w.waitFor("Symptom: what do you see?");
        w.type("demo flag").waitFor("Filter: demo flag_");
        w.press(KeyType.Enter).waitFor("Inputs (demo-env)");
        w.ctrl('u').type(env.toString()).press(KeyType.Tab).press(KeyType.Enter);
    }

    @Test
    void symptomsComeFromTheScenarioFilesAndTypingFilters() throws Exception {
        VirtualWizard w = wizard();
        String s = w.waitFor("Symptom: what do you see?");
        assertTrue(s.contains("#000") && s.contains("#003") && s.contains("#900"), "symptoms with their incidents:\n" + s);
        assertTrue(s.contains("Containers can resolve each other by name"), s);
        assertTrue(s.contains("type to filter") && s.contains("F1 help"), "a hint line of keys:\n" + s);
        w.type("hanging");
        s = w.waitFor("Filter: hanging_   (1 match)");
        assertFalse(s.contains("#000"), s);
        assertTrue(s.contains("scenario hang, from incident 901"), "the incident of the selected symptom:\n" + s);
        w.press(KeyType.Escape).waitFor("Type words to filter the list.");
        w.type("zzz").waitFor("no symptom matches 'zzz'");
        w.press(KeyType.Backspace).press(KeyType.Backspace).press(KeyType.Backspace).waitFor("Type words to filter");
        w.press(KeyType.Escape);
        assertEquals(130, w.waitExit(), "left before any diagnosis");
    }

    @Test
    void theFormChecksEachValueNextToItsFieldAndExplainsIt() throws Exception {
        VirtualWizard w = wizard();
        w.waitFor("Symptom");
        w.type("demo").press(KeyType.Enter);
        String s = w.waitFor("Inputs (demo-env)");
        assertTrue(s.contains("! required"), "the required field is marked:\n" + s);
        assertTrue(s.contains("The env file of the demo stack."), "what the field means:\n" + s);
        w.press(KeyType.Tab).press(KeyType.Enter);
        s = w.waitFor("Not started: file is required");
        assertTrue(s.contains("Inputs (demo-env)"), "still on the form:\n" + s);
        w.type("relative/path").settle(); // the refused field has the focus again; issue 16: a relative path is resolved, not refused
        s = w.waitGone("Not started:");
        s = w.waitGone("! required");
        assertFalse(s.contains("not valid"), "a relative path is not refused:\n" + s);
        w.press(KeyType.Tab);
        s = w.waitFor(dir.resolve("relative/path").toString().substring(0, 20));
        w.press(KeyType.Escape).waitFor("Symptom: what do you see?");
    }

    @Test
    void diagnoseApplyUndoAndSaveTheReport() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "A=1\nDEMO=yes\n");
        VirtualWizard w = wizard();
        runDemo(w, env);
        String s = w.waitFor("<See the verdict>");
        assertTrue(s.contains("✘ DEMO in the env file") && s.contains("set → demo-on"), "failed mark and the branch:\n" + s);
        assertTrue(s.contains("– A test on the other branch") && s.contains("not reached"), "skipped:\n" + s);
        assertTrue(s.contains("Path: flag → verdict demo-on"), s);
        w.press(KeyType.Enter);
        s = w.waitFor("Verdict (demo-env)");
        assertTrue(s.contains("✘ DEMO is on  [critical]"), s);
        assertTrue(s.contains("DEMO=yes in " + env), "the explanation from the evidence:\n" + s);
        assertTrue(s.contains("the demo write-up"), "references:\n" + s);
        assertFalse(s.contains("Evidence:"), "evidence only on demand:\n" + s);
        w.type("v");
        s = w.waitFor("Evidence:");
        assertTrue(s.contains("flag: ") && s.contains("value = yes"), s);
        w.type("f");
        s = w.waitFor("Fix (demo-env, verdict demo-on)");
        assertTrue(s.contains("-DEMO=yes"), "the exact diff:\n" + s);
        w.type("a");
        s = w.waitFor("<Not now>");
        assertTrue(s.contains("Apply this change?") && s.contains("1. ") && s.contains("Each change is backed up first"), s);
        w.press(KeyType.ArrowLeft).press(KeyType.Enter); // Not now has the focus: move to Apply
        s = w.waitFor("<Close >");
        assertTrue(s.contains("Verified"), "verification shown:\n" + s);
        assertTrue(s.contains("applying: Change " + env), "progress lines:\n" + s);
        assertEquals("A=1\n", Files.readString(env));
        w.press(KeyType.Enter).waitFor("Undo it now?");
        w.press(KeyType.ArrowLeft).press(KeyType.Enter);
        w.waitFor("<Close >");
        w.press(KeyType.Enter).waitGone("<Close >");
        s = w.waitFor("Undone: 1 change(s) reverted");
        assertEquals("A=1\nDEMO=yes\n", Files.readString(env), "undone byte for byte");
        w.type("r").waitFor("Folder for the report");
        for (int i = 0; i < 200; i++) {
            w.press(KeyType.Backspace);
        }
        w.type(dir.toString()).press(KeyType.Enter);
        s = w.waitFor("Saved: ");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("triage-demo-env-") && n.endsWith(".md")), names + "\n" + s);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("triage-demo-env-") && n.endsWith(".json")), names.toString());
        }
        Path md;
        try (Stream<Path> files = Files.list(dir)) {
            md = files.filter(p -> p.getFileName().toString().endsWith(".md")).findFirst().orElseThrow();
        }
        String report = Files.readString(md);
        assertTrue(report.contains("fix drop-demo applied as") && report.contains("undo "), report);
        w.ctrl('c');
        assertEquals(130, w.waitExit());
    }

    @Test
    void notNowChangesNothingAndCanKeepThePlanAsAScript() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=1\n");
        VirtualWizard w = wizard();
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter).waitFor("Verdict (");
        w.type("f").waitFor("Fix (demo-env, verdict demo-on)");
        w.type("a").waitFor("<Not now>");
        w.press(KeyType.Enter); // Not now
        w.waitFor("Save the plan as a shell script");
        w.press(KeyType.ArrowLeft).press(KeyType.Enter);
        String s = w.waitFor("Plan saved for review");
        assertEquals("DEMO=1\n", Files.readString(env), "nothing changed");
        Path script;
        try (Stream<Path> files = Files.list(dir)) {
            script = files.filter(p -> p.getFileName().toString().startsWith("triage-plan-drop-demo-")).findFirst().orElseThrow(
                    () -> new AssertionError(s));
        }
        assertTrue(Files.readString(script).startsWith("#!/bin/sh\n"));
        w.press(KeyType.Escape).press(KeyType.Escape).waitFor("<See the verdict>");
        leaveFromTheTests(w);
        assertEquals(1, w.waitExit(), "the last diagnosis found a problem");
    }

    @Test
    void escStopsARunningTestAtOnce() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // accepts and never says a word
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            VirtualWizard w = wizard();
            w.waitFor("Symptom");
            w.type("hanging").press(KeyType.Enter).waitFor("Inputs (");
            w.type("127.0.0.1:" + silent.getLocalPort()).press(KeyType.Tab).press(KeyType.Enter);
            String s = w.waitFor("running");
            assertTrue(s.contains("Esc stops the tests"), s);
            // the elapsed time moves while it runs (on a busy machine a redraw may skip 1.0s itself)
            w.waitUntil("an elapsed time of 1 s or more", t -> java.util.regex.Pattern.compile("running\\s+([1-9]\\d*\\.\\d|[1-9]\\d*)s")
                    .matcher(t).find(), 10_000);
            long start = System.nanoTime();
            w.press(KeyType.Escape);
            s = w.waitFor("Stopped. Its probe containers and networks are removed; nothing was changed.");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 3000, "stopped in " + ms + " ms");
            assertTrue(s.contains("<Run again>") && s.contains("<Back to the inputs>"), s);
            assertTrue(s.contains("? TLS to the port") && s.contains("stopped") && s.contains("Path: connect → stopped"), s);
            assertTrue(w.session.cancelled());
            w.ctrl('c');
            assertEquals(130, w.waitExit());
            for (Socket a : accepted) {
                a.close();
            }
        }
    }

    @Test
    void helpAndExplainModeWorkEverywhere() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "B=2\n");
        VirtualWizard w = wizard();
        w.waitFor("Symptom");
        w.press(KeyType.F1);
        String s = w.waitFor("Keys work the same on every screen");
        assertTrue(s.contains("Pick what you see."), "the screen's own help first:\n" + s);
        assertFalse(s.contains("◄"), "help never scrolls sideways:\n" + s);
        w.press(KeyType.Escape).waitGone("Keys work the same");
        w.press(KeyType.F2).waitFor("[explain mode]");
        runDemo(w, env);
        s = w.waitFor("<See the verdict>");
        assertTrue(s.contains("What it checks, and by hand"), "explain mode shows the selected test's check:\n" + s);
        w.press(KeyType.Tab).press(KeyType.Tab).settle(); // to the list of tests
        w.press(KeyType.ArrowUp);
        s = w.waitFor("$ grep ^DEMO= FILE");
        assertTrue(s.contains("Reads the env file and looks for DEMO."), s);
        w.press(KeyType.Enter);
        s = w.waitFor("Evidence: flag");
        assertTrue(s.contains("What it checks:") && s.contains("Reads the env file and looks for DEMO.")
                && s.contains("$ grep ^DEMO= FILE"), "explain mode: the check and the command by hand:\n" + s);
        assertTrue(s.contains("outcome: unset"), s);
        w.press(KeyType.Escape).waitGone("Evidence: flag");
        w.type("?").waitFor("The decision tree at work");
        w.press(KeyType.Escape);
        w.ctrl('c');
        assertEquals(130, w.waitExit(), "Ctrl-C is an interruption, whatever the diagnosis said");
    }

    @Test
    void theFirstScreenOffersPracticeOnALab() throws Exception {
        VirtualWizard w = wizard();
        String s = w.waitFor("Practice on a lab");
        w.press(KeyType.End);
        s = w.waitFor("A disposable sandbox");
        w.press(KeyType.Enter);
        s = w.waitFor("What you will see");
        assertTrue(s.contains("A firewall rule drops the traffic between two") && s.contains("#000"), s);
        assertTrue(s.contains("triage lab check"), "how the trainee is graded:\n" + s);
        w.press(KeyType.Escape);
        w.waitFor("Type words to filter");
        w.press(KeyType.Escape);
        assertEquals(130, w.waitExit());
    }

    @Test
    void anAsciiTerminalGetsAsciiBordersAndMarks() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=1\n");
        VirtualWizard w = wizard(Map.of("LANG", "C", "TERM", "xterm", "NO_COLOR", "1"), 80, 24, false);
        String s = w.waitFor("Symptom");
        assertTrue(s.contains("+-Symptoms---") && s.contains("|"), s);
        assertTrue(s.contains("triage  ->  Symptom"), s);
        runDemo(w, env);
        s = w.waitFor("<See the verdict>");
        assertTrue(s.contains("[XX] DEMO in the env file") && s.contains("[--] A test on the other branch"), s);
        assertTrue(s.contains("Path: flag -> verdict demo-on"), s);
        assertFalse(s.chars().anyMatch(c -> c >= 0x80), "only ASCII reaches the terminal:\n" + s);
        leaveFromTheTests(w);
        assertEquals(1, w.waitExit(), "left normally: the exit code of the last diagnosis");
    }

    @Test
    void aSmallTerminalSaysSoAndAResizeLaysTheScreenOutAgain() throws Exception {
        VirtualWizard w = wizard(Map.of("LANG", "C.UTF-8", "TERM", "xterm"), 50, 12, false);
        String s = w.waitFor("needs at least");
        assertTrue(s.contains("The terminal is 50x12") && s.contains("60x16"), s);
        assertTrue(s.contains("triage --plain"), "what to do:\n" + s);
        w.type("x").settle();  // keys do nothing harmful while too small
        w.terminal.setTerminalSize(new TerminalSize(100, 30));
        s = w.waitFor("Symptoms");
        assertTrue(s.lines().anyMatch(l -> l.startsWith("└") && l.strip().length() == 100), "laid out at 100 columns:\n" + s);
        w.type("demo").waitFor("Filter: demo_");
        w.terminal.setTerminalSize(new TerminalSize(80, 24));
        s = w.waitFor("Filter: demo_");
        assertTrue(s.lines().anyMatch(l -> l.startsWith("└") && l.strip().length() == 80), "and again at 80 columns, filter kept:\n" + s);
        w.press(KeyType.Escape).press(KeyType.Escape);
        assertEquals(130, w.waitExit());
    }

    @Test
    void formKeysEditTheLineAndEnterRunsFromAnyField() throws Exception {
        VirtualWizard w = wizard();
        w.waitFor("Symptom");
        w.type("demo flag").press(KeyType.Enter);
        String s = w.waitFor("Inputs (demo-env)");
        assertTrue(s.lines().anyMatch(l -> l.startsWith("┌─Inputs") && l.length() == 80), "the Inputs box is 80 wide:\n" + s);
        w.type("/tmp/abc def").ctrl('w').settle();
        s = w.waitFor("/tmp/abc ");
        assertFalse(s.contains("def"), "Ctrl-W erased the last word:\n" + s);
        w.ctrl('u').settle();
        s = w.waitFor("! required");
        assertFalse(s.contains("/tmp/abc") || s.contains("uw"), "Ctrl-U erased the line, no letters typed:\n" + s);
        w.type("bc").ctrl('a').type("/a").ctrl('e').type("x").settle();
        s = w.waitFor("/abcx");
        w.press(KeyType.Escape).waitFor("Filter: demo flag_");
        w.press(KeyType.Enter);
        s = w.waitFor("Inputs (demo-env)");
        assertTrue(s.contains("/abcx"), "Back kept what was typed:\n" + s);
        w.press(KeyType.Enter); // from the field, not the button
        w.waitFor("Tests (demo-env)");
        s = w.waitFor("<See the verdict>");
        assertTrue(s.contains("Enter see the verdict"), "the hint says what Enter does where the focus is:\n" + s);
        w.press(KeyType.ArrowDown).press(KeyType.ArrowDown).settle();
        w.press(KeyType.ArrowUp).settle();
        s = w.waitFor("Enter evidence");
        assertTrue(s.contains("Up/Down move"), s);
        w.ctrl('c');
        w.waitExit();
    }

    @Test
    void aHealthyVerdictOffersNoFixKeyAndQuitAsksToSaveAProblemReport() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "A=1\n");
        VirtualWizard w = wizard();
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter);
        String s = w.waitFor("Verdict (demo-env)");
        assertFalse(s.contains("f fixes"), "no fix key where f does nothing:\n" + s);
        w.type("n").waitFor("Type words to filter the list.");
        Files.writeString(env, "DEMO=" + "x".repeat(120) + "END\n");
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter).waitFor("Verdict (demo-env)");
        w.type("f");
        s = w.waitFor("Fix (demo-env, verdict demo-on)");
        assertTrue(s.contains("END"), "a long diff line wraps, its end on the screen:\n" + s);
        assertFalse(s.contains("◄") || s.contains("►"), "no sideways scroll bar:\n" + s);
        // issue 16: the hint names only keys that act; with one fix, Up/Down has nothing to move to
        assertFalse(s.contains("Up/Down fix"), s);
        w.press(KeyType.Escape).waitFor("Verdict (demo-env)");
        w.press(KeyType.Tab).press(KeyType.Tab).press(KeyType.Tab).press(KeyType.Tab).settle();
        w.press(KeyType.Enter); // Quit
        s = w.waitFor("Save the report?");
        w.press(KeyType.Enter); // Leave without (the safe answer has the focus)
        assertEquals(1, w.waitExit());
    }

    /** The hint line of the last row. */
    private static String hintLine(String screen) {
        List<String> rows = screen.lines().toList();
        return rows.get(rows.size() - 1);
    }

    @Test
    void theHintSaysHowToScrollOnlyWhereThereIsMoreToSee() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=yes\n");
        VirtualWizard w = wizard();
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter);
        String s = w.waitFor("Verdict (demo-env)");
        assertFalse(hintLine(s).contains("PgUp/PgDn"), "the Why pane shows everything: no scroll keys\n" + s);
        w.type("f");
        s = w.waitFor("Fix (demo-env, verdict demo-on)");
        assertFalse(hintLine(s).contains("PgUp/PgDn"), "the plan fits: no scroll keys\n" + s);
        w.type("n").settle(); // n is not a key of the fix screen
        w.press(KeyType.Escape).waitFor("Verdict (demo-env)");
        w.type("n").waitFor("Type words to filter the list.");

        // a value long enough to fill the Why pane, the evidence and the plan several times over
        Files.writeString(env, "DEMO=" + "word ".repeat(300).strip().replace(' ', '-') + "-END\n");
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter);
        s = w.waitFor("Verdict (demo-env)");
        assertTrue(hintLine(s).contains("PgUp/PgDn scroll"), "the Why pane scrolls, the hint says how:\n" + s);
        assertFalse(s.contains("-END"), "the end is further down:\n" + s);
        for (int i = 0; i < 20; i++) {
            w.press(KeyType.PageDown); // from the button that has the focus
        }
        s = w.waitFor("-END");
        assertTrue(hintLine(s).length() <= 80 && !hintLine(s).endsWith("~"), "the hint line is whole:\n" + s);
        w.type("r");
        s = w.waitFor("Folder for the report");
        assertTrue(hintLine(s).contains("Esc cancel") && !hintLine(s).contains("f fixes"),
                "under a dialog the hint line names the dialog's keys:\n" + s);
        w.press(KeyType.Escape).waitGone("Folder for the report");

        w.type("f");
        s = w.waitFor("Fix (demo-env, verdict demo-on)");
        assertTrue(hintLine(s).contains("PgUp/PgDn scroll"), "the plan scrolls, the hint says how:\n" + s);
        assertFalse(s.contains("-END"), s);
        for (int i = 0; i < 20; i++) {
            w.press(KeyType.PageDown); // from the list of fixes
        }
        s = w.waitFor("-END");
        w.press(KeyType.Escape).waitFor("Verdict (demo-env)");
        w.press(KeyType.Escape).waitFor("<See the verdict>");
        w.press(KeyType.ArrowUp).settle(); // "Up tests", as the hint says
        w.press(KeyType.Enter);
        s = w.waitFor("Evidence: ");
        assertTrue(s.contains("PgUp/PgDn scroll"), "the evidence scrolls, it says how:\n" + s);
        w.press(KeyType.Escape).waitGone("Evidence: ");
        w.ctrl('c');
        assertEquals(130, w.waitExit());
    }

    /** A test whose commands by hand are longer than the explain pane at 80x24, the clean-up last. */
    private static final String LONG_BY_HAND = """
            id: by-hand
            title: Commands by hand longer than their pane
            symptom: The long by-hand commands for the screen tests
            incident:
              id: "902"
            inputs:
              - name: file
                prompt: The env file
                required: true
            start: flag
            tests:
              - id: flag
                title: DEMO in the env file, with a test bed by hand
                probe: env-value
                timeout: 2s
                explain: Builds the test bed the probes build, a server and a client on a network of their own, then removes it.
                manual:
                  - docker network create triage-by-hand
                  - docker run -d --name triage-by-hand-server --network triage-by-hand redis:7.2-alpine redis-server --save "" --appendonly no
                  - docker run --rm --network triage-by-hand redis:7.2-alpine redis-cli -h triage-by-hand-server -p 6379 ping
                  - docker run --rm --network triage-by-hand redis:7.2-alpine sh -c 'nc -vz -w 5 triage-by-hand-server 6379'
                  - docker rm -f triage-by-hand-server
                  - docker network rm triage-by-hand
                params:
                  file: ${input.file}
                  key: DEMO
                next:
                  "*": done
            verdicts:
              - id: done
                title: Done
                healthy: true
                explanation: Finished.
            """;

    @Test
    void theExplainPaneScrollsToTheLastCommandByHand() throws Exception {
        Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
        Files.writeString(scenarios.resolve("by-hand.yaml"), LONG_BY_HAND);
        Path env = dir.resolve("app.env");
        Files.writeString(env, "A=1\n");
        VirtualWizard w = wizard(Map.of("LANG", "C.UTF-8", "TERM", "xterm"), 80, 24, true);
        w.waitFor("Symptom");
        w.type("long by-hand").waitFor("(1 match)");
        w.press(KeyType.Enter).waitFor("Inputs (by-hand)");
        w.type(env.toString()).press(KeyType.Tab).press(KeyType.Enter);
        String s = w.waitFor("<See the verdict>");
        assertTrue(s.contains("What it checks, and by hand") && s.contains("$ docker network create triage-by-hand"), s);
        assertFalse(s.contains("docker network rm"), "the clean-up is below the pane's rows:\n" + s);
        assertTrue(hintLine(s).contains("PgUp/PgDn scroll"), "the explain pane holds more than it shows: the hint says how to scroll\n" + s);
        for (int i = 0; i < 6; i++) {
            w.press(KeyType.PageDown); // from the button that has the focus
        }
        s = w.waitFor("$ docker network rm triage-by-hand");
        assertTrue(s.contains("<See the verdict>"), "the focus stayed on the button:\n" + s);
        for (int i = 0; i < 6; i++) {
            w.press(KeyType.PageUp);
        }
        s = w.waitFor("$ docker network create triage-by-hand");
        w.press(KeyType.ArrowUp).settle(); // to the list of tests: PgUp/PgDn still scroll the pane, Up/Down move the list
        s = w.waitFor("Enter evidence");
        assertTrue(hintLine(s).contains("PgUp/PgDn scroll"), s);
        for (int i = 0; i < 6; i++) {
            w.press(KeyType.PageDown);
        }
        s = w.waitFor("$ docker rm -f triage-by-hand-server");
        w.ctrl('c');
        assertEquals(130, w.waitExit());
    }

    /** The style of the screen cell where {@code text} first starts: colours and modifiers. */
    private static String styleAt(VirtualWizard w, String screen, String text) {
        List<String> rows = screen.lines().toList();
        for (int y = 0; y < rows.size(); y++) {
            int x = rows.get(y).indexOf(text);
            if (x >= 0) {
                var c = w.terminal.getCharacter(x, y);
                return c.getForegroundColor() + "/" + c.getBackgroundColor() + "/" + c.getModifiers();
            }
        }
        throw new AssertionError("'" + text + "' is not on the screen:\n" + screen);
    }

    /** Tab onto a read-only pane shows where the focus is, calmly (no block of colour), with and without colour. */
    private void aFocusedReadOnlyPaneIsMarked(Map<String, String> terminalEnv) throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=yes\n");
        VirtualWizard w = wizard(terminalEnv, 80, 24, false);
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter);
        String s = w.waitFor("Verdict (demo-env)");
        String unfocused = styleAt(w, s, "DEMO=yes in");
        w.press(KeyType.ReverseTab).settle(); // from the first button back onto the Why pane
        s = w.waitUntil("the Why pane marked as focused", t -> !styleAt(w, t, "DEMO=yes in").equals(unfocused), 3000);
        String focused = styleAt(w, s, "DEMO=yes in");
        assertNotEquals(unfocused, focused, "the focused pane looks different:\n" + s);
        assertFalse(focused.contains("REVERSE"), "calm: the text is marked, not the whole pane in reverse video: " + focused);
        assertTrue(focused.contains("/DEFAULT/"), "calm: the terminal's own background: " + focused);
        w.press(KeyType.Tab).settle(); // off the pane again, onto the buttons
        s = w.waitUntil("the Why pane back to its unfocused look", t -> styleAt(w, t, "DEMO=yes in").equals(unfocused), 3000);
        w.ctrl('c');
        assertEquals(130, w.waitExit());
    }

    @Test
    void aFocusedReadOnlyPaneIsMarkedInColour() throws Exception {
        aFocusedReadOnlyPaneIsMarked(Map.of("LANG", "C.UTF-8", "TERM", "xterm"));
    }

    @Test
    void aFocusedReadOnlyPaneIsMarkedWithoutColour() throws Exception {
        aFocusedReadOnlyPaneIsMarked(Map.of("LANG", "C", "TERM", "xterm", "NO_COLOR", "1"));
    }

    @Test
    void theFormHintNamesWhatEnterDoesAndARedrawKeepsTheFocus() throws Exception {
        VirtualWizard w = wizard();
        w.waitFor("Symptom");
        w.type("demo flag").press(KeyType.Enter);
        w.waitFor("Inputs (demo-env)");
        w.press(KeyType.Tab).settle(); // to <Run the tests>
        String s = w.waitFor("Enter run the tests");
        w.press(KeyType.Tab).settle(); // to <Back>
        s = w.waitUntil("the hint of the Back button", t -> hintLine(t).contains("Enter back to the symptoms"), 3000);
        assertFalse(hintLine(s).contains("Enter run the tests"), "Enter goes back from here:\n" + s);
        w.press(KeyType.F2).waitFor("[explain mode]"); // a redraw
        s = w.waitFor("Explain mode on");
        assertTrue(hintLine(s).contains("Enter back to the symptoms"), "the focus stayed on Back over the redraw:\n" + s);
        w.press(KeyType.Enter);
        s = w.waitFor("Filter: demo flag_");
        assertFalse(s.contains("Not started"), "Enter went back, it did not try to run the tests:\n" + s);
        w.press(KeyType.Escape).waitFor("Type words to filter");
        w.press(KeyType.Escape);
        assertEquals(130, w.waitExit());
    }

    @Test
    void theHelpSaysTheKeysThatCloseItAndNamesTheIncident() throws Exception {
        VirtualWizard w = wizard();
        w.waitFor("Symptom");
        w.press(KeyType.F1);
        String s = w.waitFor("Keys work the same on every screen");
        assertTrue(hintLine(s).contains("Enter/Esc/q close"), s);
        assertEquals(2, s.lines().filter(l -> l.contains("Enter/Esc/q close")).count(),
                "the dialog's own line and the hint line say the same keys:\n" + s);
        assertFalse(s.contains("Enter or Esc close"), s);
        w.press(KeyType.Enter); // the pane has the focus (the help scrolls at 80x24): Enter closes, as both lines say
        w.waitGone("Keys work the same");
        w.press(KeyType.F1).waitFor("Keys work the same");
        w.type("q");
        w.waitGone("Keys work the same");

        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=yes\n");
        runDemo(w, env);
        w.waitFor("<See the verdict>");
        w.press(KeyType.Enter).waitFor("Verdict (demo-env)");
        w.type("?");
        s = w.waitFor("What is wrong, in plain words");
        assertTrue(s.contains("with the incident's and upstream's references"), "words a user knows:\n" + s);
        assertFalse(s.contains("write-up or upstream"), s);
        w.press(KeyType.Escape).waitGone("What is wrong, in plain words");
        w.ctrl('c');
        assertEquals(130, w.waitExit());
    }
}
