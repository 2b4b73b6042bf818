package dev.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.wizard.DemoScenarios;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each command run in-process through {@link TriageCommand#run}: everything it says is in the
 * streams it was given (nothing on System.out), with scenarios that need no Docker.
 */
class CommandsInProcessTest {
    @TempDir
    Path dir;
    private Map<String, String> env;
    private Path envFile;

    private record Result(int code, String out, String err) { }

    @BeforeEach
    void demo() throws Exception {
        DemoScenarios.triage(dir); // writes the demo scenarios to dir/scenarios
        env = Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"), "TRIAGE_STATE_DIR", dir.resolve("state").toString());
        envFile = dir.resolve("app.env");
        Files.writeString(envFile, "A=1\nDEMO=yes\n");
    }

    private Result triage(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("--scenarios", dir.resolve("scenarios").toString()));
        all.addAll(List.of(args));
        int code = TriageCommand.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listWritesToItsStreams() throws Exception {
        Result text = triage("", "list");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("demo-env  -  A demo setting is on"), text.out());
        Result json = triage("", "list", "--json");
        JsonNode list = new ObjectMapper().readTree(json.out());
        assertTrue(list.toString().contains("\"id\":\"demo-env\""), json.out());
    }

    @Test
    void diagnoseJsonIsOneDocumentAndTheExitCodeSaysProblem() throws Exception {
        Result r = triage("", "diagnose", "demo-env", "--set", "file=" + envFile, "--json");
        assertEquals(1, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("demo-on", doc.path("verdict").path("id").asText(), r.out());
        assertTrue(r.err().contains("triage: demo-env - A demo setting is on"), "progress on stderr: " + r.err());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(envFile), "diagnose changes nothing");
    }

    @Test
    void fixYesAppliesVerifiesAndUndoRestoresByteForByte() throws Exception {
        Result dry = triage("", "fix", "demo-env", "--set", "file=" + envFile, "--dry-run");
        assertEquals(1, dry.code(), dry.err());
        assertTrue(dry.out().contains("Plan: Remove DEMO from the env file (drop-demo)"), dry.out());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(envFile), "a dry run changes nothing");

        Result fix = triage("", "fix", "demo-env", "--set", "file=" + envFile, "--yes", "--json");
        assertEquals(0, fix.code(), fix.err());
        JsonNode doc = new ObjectMapper().readTree(fix.out());
        assertTrue(doc.path("fix").path("applied").asBoolean() && doc.path("fix").path("verified").asBoolean(), fix.out());
        assertEquals("A=1\n", Files.readString(envFile));
        String id = doc.path("fix").path("id").asText();
        assertTrue(fix.err().contains("Undo with: triage undo " + id), "with --json the report goes to stderr: " + fix.err());

        Result undo = triage("", "undo", id);
        assertEquals(0, undo.code(), undo.err());
        assertEquals("Undone: " + id + "\n", undo.out());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(envFile));
        Result again = triage("", "undo");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("triage undo: nothing to undo"), again.err());
    }

    @Test
    void fixOfAHealthySystemSaysNothingToFix() throws Exception {
        Files.writeString(envFile, "A=1\n");
        Result r = triage("", "fix", "demo-env", "--set", "file=" + envFile, "--yes");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Nothing to fix."), r.out());
    }

    @Test
    void validateNamesFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "id: bad\ntitle: Bad\nnope: 1\n");
        Result r = triage("", "validate", bad.toString());
        assertEquals(1, r.code());
        assertTrue(r.out().startsWith(bad + ":"), r.out());
        assertTrue(r.err().contains("1 file(s) checked"), r.err());
        Result ok = triage("", "validate", dir.resolve("scenarios").resolve("demo-env.yaml").toString());
        assertEquals(0, ok.code(), ok.out());
    }

    @Test
    void usageErrorsExit64OnTheErrorStream() {
        Result r = triage("", "diagnose", "no-such-scenario");
        assertEquals(64, r.code());
        assertTrue(r.err().contains("unknown scenario 'no-such-scenario'"), r.err());
        assertTrue(r.out().isEmpty(), r.out());
    }

    @Test
    void withoutATerminalTheWizardIsTheLineDialogOnTheGivenStreams() throws Exception {
        Result left = triage("q\n");
        assertEquals(130, left.code(), left.err());
        assertTrue(left.out().contains("What do you see?"), left.out());
        Result fixed = triage("demo flag\n" + envFile + "\n1\ny\nn\nn\n");
        assertEquals(1, fixed.code(), fixed.out());
        assertTrue(fixed.out().contains("VERDICT: demo-on") && fixed.out().contains("Applied as "), fixed.out());
        assertEquals("A=1\n", Files.readString(envFile));
        assertFalse(fixed.out().contains("\u001b"), "a dumb terminal: no escape sequences");
    }

    @Test
    void aMistypedScenarioOrInputGetsDidYouMeanAndAMissingInputItsFlag() {
        Result scenario = triage("", "diagnose", "demo-en");
        assertEquals(64, scenario.code());
        assertTrue(scenario.err().contains("Did you mean 'demo-env'?"), scenario.err());
        Result input = triage("", "diagnose", "demo-env", "--set", "fiel=" + envFile);
        assertEquals(64, input.code());
        assertTrue(input.err().contains("unknown input 'fiel'") && input.err().contains("Did you mean 'file'?"), input.err());
        Result missing = triage("", "diagnose", "demo-env");
        assertEquals(64, missing.code());
        assertTrue(missing.err().contains("add --set file=/PATH"), missing.err());
    }

    @Test
    void helpListsTheInputsOfAScenario() {
        for (String[] args : List.of(new String[]{"help", "demo-env"}, new String[]{"diagnose", "demo-env", "--help"},
                new String[]{"help", "diagnose", "demo-env"})) {
            Result r = triage("", args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().contains("--set file=/PATH   required") && r.out().contains("The env file of the demo stack."),
                    String.join(" ", args) + ": " + r.out());
        }
        Result all = triage("", "diagnose", "--help");
        assertTrue(all.out().contains("demo-env --set file=/PATH"), all.out());
        Result typo = triage("", "help", "demo-en");
        assertEquals(64, typo.code());
        assertTrue(typo.err().contains("Did you mean 'demo-env'?"), typo.err());
    }

    @Test
    void theSuggestedFixCommandCarriesTheInputsAndOptionsAndRunsAsIs() throws Exception {
        Path spaced = dir.resolve("my app.env");
        Files.writeString(spaced, "DEMO=yes\n");
        Result r = triage("", "diagnose", "demo-env", "--set", "file=" + spaced, "--timeout", "30");
        String expected = "triage fix demo-env --set 'file=" + spaced + "' --scenarios " + dir.resolve("scenarios")
                + " --timeout 30 --choose drop-demo";
        assertTrue(r.out().contains(expected), r.out());
        assertFalse(r.out().contains("[--choose ID]"), r.out());
        Result json = triage("", "diagnose", "demo-env", "--set", "file=" + spaced, "--timeout", "30", "--json");
        assertTrue(json.out().contains("\"command\" : \"" + expected.replace("'", "'") + "\""), json.out());
        // the command as pasted: its words, unquoted as a shell would
        List<String> words = new ArrayList<>(List.of("fix", "demo-env", "--set", "file=" + spaced, "--timeout", "30",
                "--choose", "drop-demo", "--yes"));
        Result fixed = triage("", words.toArray(String[]::new));
        assertEquals(0, fixed.code(), fixed.err());
    }

    @Test
    void historyListsTheJournalAndUndoShowsAsksAndDryRuns() throws Exception {
        Result empty = triage("", "history");
        assertEquals(0, empty.code());
        assertTrue(empty.out().contains("No fixes in the journal"), empty.out());
        Result fix = triage("", "fix", "demo-env", "--set", "file=" + envFile, "--yes", "--json");
        String id = new ObjectMapper().readTree(fix.out()).path("fix").path("id").asText();
        Result history = triage("", "history");
        assertTrue(history.out().contains(id) && history.out().contains("UTC") && history.out().contains("state:    applied")
                && history.out().contains("Change " + envFile), history.out());
        JsonNode list = new ObjectMapper().readTree(triage("", "history", "--json").out());
        assertEquals("applied", list.get(0).path("stateText").asText());
        Result dry = triage("", "undo", "--dry-run");
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("restore " + envFile + " byte for byte") && dry.out().contains("+DEMO=yes"), dry.out());
        assertEquals("A=1\n", Files.readString(envFile), "a dry run changes nothing");
        Result noTerminal = triage("", "undo");
        assertEquals(1, noTerminal.code());
        assertTrue(noTerminal.err().contains("--yes"), noTerminal.err());
        assertEquals("A=1\n", Files.readString(envFile));
        Result yes = triage("", "undo", "--yes");
        assertEquals(0, yes.code(), yes.err());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(envFile));
        assertTrue(triage("", "history").out().contains("state:    undone"));
    }

    /** Without --scenarios in front, as users type it: picocli builds the named command alone (start-up time). */
    private Result bundled(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TriageCommand.run(env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommandBuiltAloneKeepsItsHelpUsageErrorsAndDidYouMean() {
        Result rootHelp = bundled("--help");
        assertEquals(0, rootHelp.code(), rootHelp.err());
        for (String command : List.of("list", "diagnose", "fix", "undo", "validate", "lab", "history", "help")) {
            assertTrue(rootHelp.out().contains("  " + command + " "), command + " in:\n" + rootHelp.out());
        }
        Result diagnoseHelp = bundled("diagnose", "--help");
        assertEquals(0, diagnoseHelp.code(), diagnoseHelp.err());
        assertTrue(diagnoseHelp.out().contains("SCENARIO") && diagnoseHelp.out().contains("Exit codes"), diagnoseHelp.out());
        Result inputs = bundled("help", "diagnose", "bridge-intercontainer");
        assertEquals(0, inputs.code(), inputs.err());
        assertTrue(inputs.out().contains("image"), inputs.out());
        Result mistypedCommand = bundled("diagnos", "bridge-intercontainer");
        assertEquals(TriageCommand.USAGE, mistypedCommand.code());
        assertTrue(mistypedCommand.err().contains("diagnose"), mistypedCommand.err());
        // the scenario read early is not the one asked for: the usual lookup says what is wrong
        Result mistypedScenario = bundled("diagnose", "bridge-egres");
        assertEquals(TriageCommand.USAGE, mistypedScenario.code());
        assertTrue(mistypedScenario.err().contains("bridge-egress"), mistypedScenario.err());
        // the scenario read early is the one asked for: its inputs are checked as usual
        Result mistypedInput = bundled("diagnose", "bridge-intercontainer", "--set", "imag=redis:7.2-alpine");
        assertEquals(TriageCommand.USAGE, mistypedInput.code());
        assertTrue(mistypedInput.err().contains("image"), mistypedInput.err());
        Result unknownOption = bundled("fix", "bridge-intercontainer", "--bogus");
        assertEquals(TriageCommand.USAGE, unknownOption.code());
        assertTrue(unknownOption.err().contains("--bogus"), unknownOption.err());
    }
}
