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
        String log = Files.readString(dir.resolve("triage.log"));
        assertTrue(log.contains("127.0.0.1:9"), "the log file has the engine failure: " + log);
    }
}
