package dev.triage.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The wizard end to end in a real terminal: the packaged jar in tmux at 80x24, driven by keys, read
 * from the screen. Text UI (UTF-8 and LANG=C), the line dialog for TERM=dumb, a run stopped with
 * Esc while a probe hangs for real, and a terminal that starts too small. Each test has a tmux server
 * of its own; the base class checks that no probe container or network is left behind.
 */
class WizardTmuxIT extends DockerTest {
    private static final String ALT_SCREEN_ON = "\u001b[?1049h";
    private static final String ALT_SCREEN_OFF = "\u001b[?1049l";

    @TempDir
    Path work;

    private Tmux tmux;

    @BeforeAll
    static void requireTmux() {
        if (!Tmux.available()) {
            if ("1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER"))) {
                fail("TRIAGE_REQUIRE_DOCKER=1 but tmux is not installed (apt-get install tmux)");
            }
            Assumptions.abort("tmux is not installed");
        }
    }

    @BeforeEach
    void newTmux() {
        tmux = new Tmux(work);
    }

    @AfterEach
    void killTmux() {
        tmux.close(); // before the base class looks for leftovers: the program must have ended
    }

    /** The environment of a user on a UTF-8 terminal; tests change what they are about. */
    private Map<String, String> terminal(String term, String lang) {
        Map<String, String> env = new HashMap<>();
        env.put("TERM", term);
        if (lang != null) {
            env.put("LANG", lang);
        }
        env.put("TRIAGE_STATE_DIR", stateDir.toString());
        return env;
    }

    @Test
    void healthyDiagnosisEndToEnd() {
        tmux.start(80, 24, terminal("xterm-256color", "C.UTF-8"));
        String s = tmux.waitForText("┌─Symptoms");
        assertTrue(s.lines().findFirst().orElse("").contains("triage  →  Symptom"), s);
        assertTrue(tmux.alternateScreen(), "the text UI runs on the alternate screen");

        openBridgeScenario();
        runWithCurrentInputs();
        s = tmux.waitFor("the verdict button", t -> t.contains("<See the verdict>"));
        assertTrue(s.contains("✔ The Docker engine answers"), s);
        assertTrue(row(s, "Client reaches the server").startsWith("│✔ "), s);
        assertTrue(row(s, "Client reaches the server").contains("answered → healthy"), s);
        assertTrue(s.contains("Path: engine → bridge → verdict healthy"), s);
        assertTrue(s.contains("– The server answers from the host"), "tests not reached are listed as such:\n" + s);

        tmux.keys("Enter"); // the verdict button has the focus
        s = tmux.waitForText("reach each other");
        assertTrue(s.contains("✔ Containers on the bridge reach each other"), s);
        assertTrue(s.contains("┌─Why"), s);
        assertTrue(s.contains("<Save report>") && s.contains("Quit"), s);
        assertFalse(s.contains("Fixes ("), "a healthy verdict offers no fix:\n" + s);

        // back out the way a user does: q on the verdict, then Esc until the wizard is gone
        s = tmux.pressAndWaitForChange("q");
        assertTrue(s.contains("Tests ("), s);
        for (int i = 0; i < 8 && tmux.exitCode().isEmpty(); i++) {
            tmux.pressAndWaitForChange("Escape");
        }
        assertEquals(0, tmux.waitForExit(Duration.ofSeconds(40)), "exit code of a healthy diagnosis");
        assertTerminalRestored();
    }

    @Test
    void escapeStopsARunThatHangsAndRemovesItsProbes() {
        // a service that accepts connections and never answers: redis-cli PING hangs until its limit
        String net = network();
        String hang = container(net, "nc", "-ll", "-p", "6379", "-e", "sleep", "3600");

        tmux.start(80, 24, terminal("xterm-256color", "C.UTF-8"));
        tmux.waitForText("┌─Symptoms");
        openBridgeScenario();
        fillField(1, net); // image, network, target, ...
        fillField(2, hang + ":6379");
        String s = tmux.screen();
        assertTrue(row(s, "network").contains(net) && row(s, "target").contains(hang + ":6379"), s);
        assertFalse(s.contains("! "), "the inputs are valid:\n" + s);
        runWithCurrentInputs();

        s = tmux.waitFor("the bridge test running",
                t -> row(t, "Client reaches the server").contains("running"));
        // wait until the probe's client container is on the network: Esc then has something to clean up
        String runId = waitForProbeContainer(net);
        s = tmux.waitFor("the running time to advance",
                t -> Pattern.compile("running\\s+(0\\.[1-9]|[1-9]\\d*\\.\\d)s").matcher(row(t, "Client reaches the server")).find());
        assertTrue(s.contains("Path: engine → bridge → …"), s);

        long esc = System.nanoTime();
        tmux.keys("Escape");
        s = tmux.waitFor("'Stopped'", Duration.ofSeconds(15), false, t -> t.contains("Stopped."));
        long millis = (System.nanoTime() - esc) / 1_000_000;
        System.out.println("Esc -> Stopped: " + millis + " ms");
        assertTrue(millis < 10_000, "Esc to 'Stopped' took " + millis + " ms");
        assertTrue(s.contains("nothing was changed") || s.contains("nothing was cha"), s);
        assertEquals("", Sh.run("docker", "ps", "-aq", "--filter", "label=dev.triage.run=" + runId).out().strip(),
                "this run's probe containers are gone once it says Stopped");
        assertEquals("", Sh.run("docker", "network", "ls", "-q", "--filter", "label=dev.triage.run=" + runId).out().strip(),
                "this run's networks are gone once it says Stopped");
        assertEquals("", Sh.run("docker", "ps", "-aq", "--filter", "label=dev.triage").out().strip(),
                "no container labelled dev.triage is left");
        assertFalse(s.contains("<See the verdict>"), "a stopped run has no verdict:\n" + s);
        assertTrue(s.contains("Run again"), s);
        assertTrue(tmux.exitCode().isEmpty(), "Esc stops the tests, not the wizard");

        tmux.keys("C-c");
        assertEquals(130, tmux.waitForExit(Duration.ofSeconds(30)), "exit code after Ctrl-C");
        assertTerminalRestored();
    }

    @Test
    void asciiTerminalUnderLangC() {
        Map<String, String> env = terminal("xterm-256color", "C"); // and no LC_ALL, LC_CTYPE
        tmux.start(80, 24, env);
        String s = tmux.waitForText("+-Symptoms");
        assertTrue(s.lines().findFirst().orElse("").contains("triage  ->  Symptom"), s);
        assertTrue(s.contains("+-Incident") && s.contains("\n|"), s);
        for (String line : s.lines().toList()) {
            assertTrue(line.chars().allMatch(c -> c < 128), "only ASCII on the screen: " + line);
            assertFalse(line.startsWith("?") || line.endsWith("?") && !line.contains("what do you see?"),
                    "a '?' where a border should be: " + line + "\n" + s);
        }

        openBridgeScenario();
        runWithCurrentInputs();
        s = tmux.waitFor("the verdict button", t -> t.contains("<See the verdict>"));
        assertTrue(s.contains("[OK] The Docker engine answers"), s);
        assertTrue(row(s, "Client reaches the server").startsWith("|[OK] "), s);
        assertTrue(s.contains("answered -> healthy"), s);
        assertTrue(s.contains("Path: engine -> bridge -> verdict healthy"), s);
        assertTrue(s.contains("[--] "), "tests not reached: " + s);
        tmux.keys("Enter");
        s = tmux.waitForText("reach each other");
        assertTrue(s.contains("[OK] Containers on the bridge reach each other"), s);
        assertTrue(s.contains("+-Why"), s);

        tmux.keys("C-c");
        assertEquals(130, tmux.waitForExit(Duration.ofSeconds(30)), "exit code after Ctrl-C");
        assertTerminalRestored();
        String raw = tmux.raw();
        assertTrue(raw.chars().allMatch(c -> c < 128), "under LANG=C the program writes only ASCII");
    }

    @Test
    void lineDialogOnADumbTerminal() {
        tmux.start(80, 24, terminal("dumb", "C.UTF-8"));
        String h = tmux.waitFor("the symptoms", Tmux.DEADLINE, true,
                t -> t.contains("What do you see?") && t.contains("Number, words to filter, ? for help, q to quit"));
        assertFalse(tmux.alternateScreen(), "line mode stays on the normal screen");
        assertTrue(h.contains("1) "), h);

        tmux.type("resolve");
        tmux.keys("Enter");
        // issue 16: a filter with a single match goes straight to it (no number to type)
        h = tmux.waitFor("the single match", Tmux.DEADLINE, true, t -> t.contains("One symptom matches 'resolve'")
                && t.contains("Containers resolve each other but TCP hangs"));

        // every input keeps its default: Enter at each prompt until the tests have run
        Pattern prompt = Pattern.compile("(?m)^[a-z][a-z0-9-]*( \\[[^\\]]*])?:$");
        int answered = 0;
        while (true) {
            int seen = answered;
            h = tmux.waitFor("input prompt " + (seen + 1) + " or the report question", Duration.ofSeconds(40), true,
                    t -> count(prompt, t) > seen || t.contains("Save a report"));
            if (h.contains("Save a report")) {
                break;
            }
            assertTrue(answered < 10, "too many prompts:\n" + h);
            tmux.keys("Enter");
            answered++;
        }
        assertTrue(answered >= 2, "the scenario asked for its inputs:\n" + h);
        assertTrue(h.contains("image [redis:7.2-alpine]:"), h);
        assertTrue(h.contains("VERDICT: healthy"), h);
        assertTrue(h.contains("Containers on the bridge reach each other"), h);
        assertFalse(h.contains("Fix to see its plan"), "no fix is offered on a healthy verdict:\n" + h);
        tmux.waitFor("the report question", Tmux.DEADLINE, true, t -> t.strip().endsWith("[y/N]:"));
        tmux.type("n");
        tmux.keys("Enter");
        // issue 16: the line dialog offers another diagnosis instead of ending
        tmux.waitFor("the question of another diagnosis", Tmux.DEADLINE, true, t -> t.strip().endsWith("Another diagnosis? [y/N]:"));
        tmux.type("n");
        tmux.keys("Enter");
        assertEquals(0, tmux.waitForExit(Duration.ofSeconds(30)), "exit code of a healthy diagnosis");

        String raw = tmux.raw();
        assertFalse(raw.contains(ALT_SCREEN_ON), "line mode never switches to the alternate screen");
        assertFalse(raw.contains("\u001b[?1049"), raw);
        assertFalse(tmux.history().contains("┌") || tmux.history().contains("│"), "no box drawing in line mode");
        assertSttySane();
    }

    @Test
    void tooSmallTerminalSaysSoThenLaysOutOnResize() {
        tmux.start(50, 12, terminal("xterm-256color", "C.UTF-8"));
        String s = tmux.waitForText("needs at least");
        String joined = s.replace("\n", " ");
        assertTrue(joined.contains("50x12"), s);
        assertTrue(joined.contains("Enlarge the window") || joined.contains("--plain"), "says what to do:\n" + s);
        assertFalse(s.contains("Symptoms"), s);

        tmux.resize(80, 24);
        s = tmux.waitForText("┌─Symptoms");
        assertFalse(s.contains("needs at least"), s);
        assertTrue(s.contains("#000"), s);
        assertTrue(s.lines().anyMatch(l -> l.length() == 80 && l.startsWith("└")), "laid out for 80 columns:\n" + s);

        tmux.keys("Escape");
        assertEquals(130, tmux.waitForExit(Duration.ofSeconds(30)), "left before a diagnosis");
        assertTerminalRestored();
    }

    /** From the symptoms screen: filter to bridge-intercontainer and open it; ends on its inputs. */
    private void openBridgeScenario() {
        tmux.type("resolve");
        String s = tmux.waitForText("Filter: resolve");
        assertTrue(s.contains("Containers can resolve each other") && s.contains("#000"), s);
        tmux.keys("Enter");
        s = tmux.waitFor("the inputs of bridge-intercontainer", t -> t.contains("Inputs (") && t.contains("redis:7.2-alpine"));
        assertTrue(row(s, "image").contains("redis:7.2-alpine"), s);
    }

    /** On the inputs screen with the first field focused: Tab past every field to the run button, Enter. */
    private void runWithCurrentInputs() {
        String s = tmux.screen();
        int fields = fieldCount(s);
        assertTrue(fields >= 3, s);
        for (int i = 0; i < fields; i++) {
            tmux.keys("Tab");
        }
        tmux.keys("Enter");
        tmux.waitFor("the tests screen", t -> t.contains("Tests (") && t.contains("Path:"));
    }

    /** Types a value into the n-th field (0 = the first), from the inputs screen with the first field focused. */
    private void fillField(int index, String value) {
        for (int i = 0; i < index; i++) {
            tmux.keys("Tab");
        }
        tmux.type(value);
        String name = index == 1 ? "network" : "target";
        tmux.waitFor("'" + value + "' in the field " + name, t -> row(t, name).contains(value));
        for (int i = 0; i < index; i++) {
            tmux.keys("BTab"); // back to the first field
        }
    }

    /** The rows of the inputs box, between its borders. */
    private static int fieldCount(String screen) {
        List<String> lines = screen.lines().toList();
        int top = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("Inputs (")) {
                top = i;
            } else if (top >= 0 && (lines.get(i).startsWith("└") || lines.get(i).startsWith("+"))) {
                return i - top - 1;
            }
        }
        throw new AssertionError("no inputs box on the screen:\n" + screen);
    }

    /** The first screen line containing {@code text}, or "". */
    private static String row(String screen, String text) {
        return screen.lines().filter(l -> l.contains(text)).findFirst().orElse("");
    }

    private static int count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Waits for a container of a triage run on the network; returns the run id (its dev.triage.run label). */
    private String waitForProbeContainer(String network) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < until) {
            String out = Sh.run("docker", "ps", "-a", "--filter", "label=dev.triage", "--filter", "network=" + network,
                    "--format", "{{.Label \"dev.triage.run\"}}").out().strip();
            if (!out.isEmpty()) {
                return out.lines().findFirst().orElseThrow();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no probe container appeared on " + network + "; the screen is:\n" + Tmux.framed(tmux.screen()));
    }

    /** After the program: the normal screen is back with the shell's line on it, and the tty is in line mode again. */
    private void assertTerminalRestored() {
        assertFalse(tmux.alternateScreen(), "the alternate screen was left");
        assertTrue(tmux.screen().contains(Tmux.SHELL_BACK), tmux.screen());
        String raw = tmux.raw();
        int on = raw.indexOf(ALT_SCREEN_ON);
        int off = raw.lastIndexOf(ALT_SCREEN_OFF);
        assertTrue(on >= 0 && off > on, "the program entered the alternate screen and left it");
        assertTrue(raw.lastIndexOf("\u001b[?25h") > raw.lastIndexOf("\u001b[?25l"), "the cursor is visible again");
        assertSttySane();
    }

    private void assertSttySane() {
        String stty = tmux.sttyAfterExit();
        assertTrue(Pattern.compile("(^|\\s)icanon(\\s|$)").matcher(stty).find(), "canonical mode back: " + stty);
        assertTrue(Pattern.compile("(^|\\s)echo(\\s|$)").matcher(stty).find(), "echo back: " + stty);
        assertTrue(Pattern.compile("(^|\\s)isig(\\s|$)").matcher(stty).find(), "Ctrl-C signals back: " + stty);
    }
}
