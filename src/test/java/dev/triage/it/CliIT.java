package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line itself: no engine needed. */
class CliIT {
    @TempDir
    Path dir;

    private Sh.Result triage(String... args) {
        return Sh.run(Sh.triage(args), Map.of("TRIAGE_STATE_DIR", dir.toString()), 60);
    }

    @Test
    void versionAndHelpOnEveryCommand() {
        Sh.Result v = triage("--version");
        assertEquals(0, v.exit());
        assertTrue(v.out().matches("triage \\d+\\.\\d+\\.\\d+.*\\s*"), v.out());
        for (String cmd : List.of("list", "diagnose", "fix", "undo", "validate")) {
            Sh.Result h = triage(cmd, "--help");
            assertEquals(0, h.exit(), cmd);
            assertTrue(h.out().contains("Usage: triage " + cmd), h.out());
        }
    }

    @Test
    void listJsonIsOneDocumentWithInputs() throws Exception {
        Sh.Result r = triage("list", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode list = new ObjectMapper().readTree(r.out());
        JsonNode bridge = null;
        for (JsonNode s : list) {
            if (s.path("id").asText().equals("bridge-intercontainer")) {
                bridge = s;
            }
        }
        assertTrue(bridge != null, r.out());
        assertEquals("000", bridge.path("incident").asText());
        assertTrue(bridge.path("inputs").toString().contains("\"name\":\"image\""));
        assertTrue(bridge.path("inputs").toString().contains("redis:7.2-alpine"));
    }

    @Test
    void validateReportsFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, String.join("\n",
                "id: bad",
                "title: Bad",
                "symptom: s",
                "incident: {id: \"999\"}",
                "start: one",
                "tests:",
                "  - id: one",
                "    title: One",
                "    probe: no-such-probe",
                "    timeout: 1s",
                "    next: {\"*\": nowhere}",
                "verdicts:",
                "  - id: v",
                "    title: V",
                "    explanation: x",
                ""));
        Sh.Result r = triage("validate", bad.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains(bad + ":7: test 'one': unknown probe kind 'no-such-probe'"), r.out());
        assertTrue(r.out().contains(bad + ":7: test 'one': next.* -> 'nowhere' is neither a test nor a verdict"), r.out());
        assertTrue(r.out().contains(bad + ":13: verdict 'v' is unreachable"), r.out());
        assertEquals(0, triage("validate").exit(), "the bundled scenarios are valid");
    }

    @Test
    void brokenUserScenarioDoesNotHideTheOthers() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "id: [unclosed\n");
        Sh.Result r = triage("--scenarios", dir.toString(), "list");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("bridge-intercontainer"));
        assertTrue(r.err().contains("broken.yaml:"), r.err());
    }

    @Test
    void usageErrorsExit64WithAHint() {
        Sh.Result unknown = triage("diagnose", "no-such-scenario");
        assertEquals(64, unknown.exit());
        assertTrue(unknown.err().contains("triage list"), unknown.err());
        Sh.Result badSet = triage("diagnose", "bridge-intercontainer", "--set", "novalue");
        assertEquals(64, badSet.exit());
        Sh.Result badInput = triage("diagnose", "bridge-intercontainer", "--set", "target=not a target");
        assertEquals(64, badInput.exit());
        assertTrue(badInput.err().contains("HOST:PORT"), badInput.err());
        Sh.Result unknownInput = triage("diagnose", "bridge-intercontainer", "--set", "colour=blue");
        assertEquals(64, unknownInput.exit());
        Sh.Result both = triage("fix", "bridge-intercontainer", "--yes", "--dry-run");
        assertEquals(64, both.exit());
        Sh.Result port = triage("diagnose", "bridge-intercontainer", "--set", "network=n", "--set", "target=redis:99999");
        assertEquals(64, port.exit());
        Sh.Result targetAlone = triage("diagnose", "bridge-intercontainer", "--set", "target=redis:6379");
        assertEquals(64, targetAlone.exit());
        assertTrue(targetAlone.err().contains("network"), targetAlone.err());
    }

    @Test
    void undoWithEmptyJournalSaysSo() {
        Sh.Result r = triage("undo");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("nothing to undo"), r.err());
    }

    /** A failing engine connection is logged (at info): the log goes to the file, never to the terminal. */
    @Test
    void nothingReachesTheTerminalFromTheLogger() throws Exception {
        Sh.Result r = Sh.run(Sh.triage("diagnose", "bridge-intercontainer", "--json"),
                Map.of("TRIAGE_STATE_DIR", dir.toString(), "DOCKER_HOST", "tcp://127.0.0.1:9"), 60);
        new ObjectMapper().readTree(r.out()); // stdout is exactly one JSON document
        assertFalse(r.err().contains("INFO") || r.err().contains("LOGGER"), r.err());
        String log = Files.readString(dir.resolve("log").resolve("triage.log"));
        assertTrue(log.contains("127.0.0.1:9"), "the log file has the engine failure: " + log);
    }

    /**
     * A state folder holding a symlink loop, a deep tree and many files starts a diagnosis as fast as
     * an empty one: the log writer never walks the folder (it used to, following links, and hung).
     */
    @Test
    void aBusyStateFolderDoesNotSlowTheStart() throws Exception {
        Path empty = dir.resolve("empty");
        Path busy = dir.resolve("busy");
        Files.createDirectories(busy);
        Files.createSymbolicLink(busy.resolve("loop"), Path.of("."));
        Files.createDirectories(busy.resolve("log"));
        Files.createSymbolicLink(busy.resolve("log").resolve("up"), Path.of(".."));
        Path deep = busy.resolve("reports");
        for (int i = 0; i < 40; i++) {
            deep = deep.resolve("d" + i);
        }
        Files.createDirectories(deep);
        for (int i = 0; i < 3000; i++) {
            Files.createFile(busy.resolve("reports").resolve("f" + i + ".md"));
        }
        long emptyMs = timedDiagnosis(empty);
        long busyMs = timedDiagnosis(busy);
        assertTrue(busyMs < 2 * emptyMs + 3000, "busy state folder: " + busyMs + " ms, empty: " + emptyMs + " ms");
        assertTrue(Files.readString(busy.resolve("log").resolve("triage.log")).contains("127.0.0.1:9"));
        assertTrue(Files.isSymbolicLink(busy.resolve("loop")), "nothing of the user's is touched");
    }

    /** A user scenario whose fix triage cannot verify (verify: manual); no engine needed. */
    private Path manualScenarioDir() throws Exception {
        Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
        String manual = dev.triage.wizard.DemoScenarios.DEMO.replace("id: demo-env", "id: demo-manual")
                .replaceAll("verify:\\n\\s+test: flag\\n\\s+expect: \\[unset\\]", "verify: manual");
        assertTrue(manual.contains("verify: manual"), manual);
        Files.writeString(scenarios.resolve("manual.yaml"), manual);
        return scenarios;
    }

    /** Issue 15 (18): "applied but not verifiable" has its own exit code, apart from "declined". */
    @Test
    void fixYesThatCannotBeVerifiedExitsThreeNotOne() throws Exception {
        Path scenarios = manualScenarioDir();
        Path env = dir.resolve("app.env");
        Files.writeString(env, "A=1\nDEMO=yes\n");
        Sh.Result declined = triage("--scenarios", scenarios.toString(), "fix", "demo-manual", "--set", "file=" + env);
        assertEquals(1, declined.exit(), "no terminal and no --yes: not applied " + declined.out() + declined.err());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(env));
        Sh.Result applied = triage("--scenarios", scenarios.toString(), "fix", "demo-manual", "--set", "file=" + env, "--yes");
        assertEquals(3, applied.exit(), applied.out() + applied.err());
        assertTrue(applied.out().contains("not verifiable by triage"), applied.out());
        assertEquals("A=1\n", Files.readString(env));
        // issue 16: undo without an id shows what it will revert and, with no terminal to ask on, needs --yes
        assertEquals(1, triage("undo").exit());
        assertEquals("A=1\n", Files.readString(env));
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(env));
    }

    /** Issue 15 (14): validate on a FIFO hung forever, on a link to /dev/zero ran out of memory. */
    @Test
    void validateRefusesAFifoAndALinkToDevZeroAtOnce() throws Exception {
        Path fifo = dir.resolve("pipe.yaml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path zero = Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
        Sh.Result r = Sh.run(Sh.triage("validate", fifo.toString(), zero.toString()), Map.of("TRIAGE_STATE_DIR", dir.toString()), 20);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("named pipe (FIFO)") && r.out().contains("character device"), r.out());
        Sh.Result listed = Sh.run(Sh.triage("--scenarios", dir.toString(), "list"), Map.of("TRIAGE_STATE_DIR", dir.toString()), 20);
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.err().contains("named pipe (FIFO)"), listed.err());
    }

    /** Issue 15 (17): a user file with a built-in's id replaced it silently in diagnose. */
    @Test
    void aScenarioIdCollisionIsRefusedByEveryCommand() throws Exception {
        Path scenarios = Files.createDirectories(dir.resolve("impostor"));
        Files.writeString(scenarios.resolve("mine.yaml"), dev.triage.wizard.DemoScenarios.DEMO.replace("id: demo-env",
                "id: bridge-intercontainer"));
        for (String cmd : List.of("diagnose", "fix")) {
            Sh.Result r = triage("--scenarios", scenarios.toString(), cmd, "bridge-intercontainer", "--set", "file=/x");
            assertEquals(64, r.exit(), cmd + ": " + r.out() + r.err());
            assertTrue(r.err().contains("already taken by the built-in") && r.err().contains("mine.yaml"), r.err());
        }
        Sh.Result v = triage("--scenarios", scenarios.toString(), "validate");
        assertEquals(1, v.exit());
        assertTrue(v.out().contains("mine.yaml:1: scenario id 'bridge-intercontainer'"), v.out());
    }

    private static long timedDiagnosis(Path state) throws Exception {
        long t0 = System.nanoTime();
        Sh.Result r = Sh.run(Sh.triage("diagnose", "bridge-intercontainer", "--json"),
                Map.of("TRIAGE_STATE_DIR", state.toString(), "DOCKER_HOST", "tcp://127.0.0.1:9"), 30);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(1, r.exit(), "the diagnosis finished (engine unreachable): " + r.err());
        new ObjectMapper().readTree(r.out());
        return ms;
    }
}
