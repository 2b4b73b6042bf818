package dev.triage.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab commands run in-process through {@link TriageCommand#run}, as {@link CommandsInProcessTest}
 * runs the others: everything they say is in the streams they were given, and nothing reaches
 * System.out or System.err. Only what runs without Docker (DOCKER_HOST names a missing socket) and
 * without changing the host: no lab is ever started.
 */
class LabCommandsInProcessTest {
    /** Reads exactly one JSON document: anything after it fails. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern ID = Pattern.compile("(?m)^id:\\s*(\\S+)\\s*$");

    @TempDir
    Path dir;
    private Map<String, String> env;

    private record Result(int code, String out, String err) { }

    @BeforeEach
    void noEngine() {
        env = Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"), "TRIAGE_STATE_DIR", dir.resolve("state").toString());
    }

    /** Runs triage with captured streams; System.out and System.err are swapped meanwhile and must stay empty. */
    private Result triage(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int code;
        System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
        try {
            code = TriageCommand.run(env, new ByteArrayInputStream(new byte[0]),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals("", systemOut.toString(StandardCharsets.UTF_8), "nothing on System.out: " + String.join(" ", args));
        assertEquals("", systemErr.toString(StandardCharsets.UTF_8), "nothing on System.err: " + String.join(" ", args));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The ids of the bundled labs, read from the files in labs/ (the jar's labs/ folder). */
    private static TreeSet<String> bundledLabIds() throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("labs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = ID.matcher(Files.readString(f));
                assertTrue(m.find(), "an id in " + f);
                ids.add(m.group(1));
            }
        }
        assertTrue(ids.size() >= 5, ids.toString());
        return ids;
    }

    @Test
    void labListNamesEveryBundledLabAndWhatThisMachineLacks() throws Exception {
        TreeSet<String> ids = bundledLabIds();
        Result r = triage("lab", "list");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "the bundled labs have no problems");
        for (String id : ids) {
            assertTrue(r.out().contains(id + "  -  "), id + " in " + r.out());
        }
        // every bundled lab needs an image, and the engine does not answer here
        assertEquals(ids.size(), r.out().split("cannot run here, missing: ", -1).length - 1, r.out());
        assertTrue(r.out().contains("a Docker engine that answers"), r.out());
        assertFalse(r.out().contains("ready on this machine"), r.out());
    }

    @Test
    void labListJsonIsOneDocumentWithEveryBundledLab() throws Exception {
        TreeSet<String> ids = bundledLabIds();
        Result r = triage("lab", "list", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode list = JSON.readTree(r.out());
        assertTrue(list.isArray(), r.out());
        TreeSet<String> listed = new TreeSet<>();
        for (JsonNode lab : list) {
            listed.add(lab.path("id").asText());
            assertFalse(lab.path("title").asText().isEmpty(), lab.toString());
            assertFalse(lab.path("scenario").asText().isEmpty(), lab.toString());
            assertTrue(lab.path("needs").isArray() && lab.path("needs").size() > 0, lab.toString());
            assertFalse(lab.path("ready").asBoolean(true), "no engine, so no lab is ready: " + lab);
            assertTrue(lab.path("missing").toString().contains("a Docker engine that answers"), lab.toString());
        }
        assertEquals(ids, listed);
    }

    @Test
    void labWithoutASubcommandPrintsItsUsageOnItsStream() {
        Result r = triage("lab");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Usage: triage lab"), r.out());
        assertTrue(r.out().contains("list") && r.out().contains("start") && r.out().contains("stop"), r.out());
    }

    @Test
    void statusWithNoLabSaysSoAndExits1() throws Exception {
        Result text = triage("lab", "status");
        assertEquals(1, text.code(), text.err());
        assertEquals("No lab is running (triage lab list, triage lab start LAB).\n", text.out());
        assertEquals("", text.err());

        Result json = triage("lab", "status", "--json");
        assertEquals(1, json.code(), json.err());
        JsonNode doc = JSON.readTree(json.out());
        assertFalse(doc.path("running").asBoolean(true), json.out());
        assertFalse(doc.has("lab"), json.out());
    }

    @Test
    void hintWithNoLabSaysSoOnStderrAndExits1() {
        Result r = triage("lab", "hint");
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals("triage lab hint: no lab is running (triage lab start LAB)\n", r.err());
    }

    @Test
    void hintTakesNoLabIdItIsAUsageError() {
        Result r = triage("lab", "hint", "drop-in-docker-user");
        assertEquals(TriageCommand.USAGE, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Unmatched argument") && r.err().contains("drop-in-docker-user"), r.err());
        assertTrue(r.err().contains("Try 'triage lab hint --help'."), r.err());
    }

    @Test
    void checkWithNoLabSaysSoOnStderrAndExits1() {
        for (List<String> args : List.of(List.of("lab", "check"), List.of("lab", "check", "--answer", "forward-blocked"),
                List.of("lab", "check", "--json"))) {
            Result r = triage(args.toArray(String[]::new));
            assertEquals(1, r.code(), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
            assertEquals("triage lab check: no lab is running (triage lab start LAB)\n", r.err(), args.toString());
        }
    }

    @Test
    void stopWithNoLabSaysSoOnStderrAndExits1() {
        for (List<String> args : List.of(List.of("lab", "stop"), List.of("lab", "stop", "--json"))) {
            Result r = triage(args.toArray(String[]::new));
            assertEquals(1, r.code(), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
            assertEquals("triage lab stop: no lab is running\n", r.err(), args.toString());
        }
        assertFalse(Files.exists(dir.resolve("state").resolve("lab")) && hasFiles(dir.resolve("state").resolve("lab")),
                "stop with no lab leaves no lab state");
    }

    @Test
    void startOfAnUnknownLabNamesTheKnownOnesAndExits1() throws Exception {
        TreeSet<String> ids = bundledLabIds();
        for (List<String> args : List.of(List.of("lab", "start", "no-such-lab"), List.of("lab", "start", "no-such-lab", "--json"))) {
            Result r = triage(args.toArray(String[]::new));
            assertEquals(1, r.code(), args + ": " + r.err());
            assertEquals("", r.out(), args.toString());
            assertTrue(r.err().startsWith("triage lab start: unknown lab 'no-such-lab'; known: "), r.err());
            assertTrue(r.err().strip().endsWith("(triage lab list)"), r.err());
            for (String id : ids) {
                assertTrue(r.err().contains(id), id + " in " + r.err());
            }
        }
        Result status = triage("lab", "status");
        assertEquals(1, status.code(), "an unknown lab starts nothing: " + status.out());
    }

    @Test
    void startWithoutALabIsAUsageError() {
        Result r = triage("lab", "start");
        assertEquals(TriageCommand.USAGE, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Missing required parameter: 'LAB'"), r.err());
    }

    private static boolean hasFiles(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }
}
