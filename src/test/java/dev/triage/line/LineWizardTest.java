package dev.triage.line;

import dev.triage.app.Triage;
import dev.triage.wizard.DemoScenarios;
import dev.triage.wizard.WizardSession;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The line dialog end to end, with a scenario that needs no Docker (it reads an env file): pick the
 * symptom, answer the form (a bad value is asked again), read the verdict, apply the fix, undo it,
 * save the plan script and the report. The engine is pointed at a socket that does not exist.
 */
class LineWizardTest {
    @TempDir
    Path dir;


    private record Result(int code, String output) { }

    private Result wizard(String answers) throws Exception {
        Triage triage = DemoScenarios.triage(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // a DumbTerminal reads and writes in the caller's thread: no pump thread that could lose the end of the output
        try (Terminal terminal = new DumbTerminal("test", "dumb", new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)),
                out, StandardCharsets.UTF_8);
             WizardSession session = new WizardSession(triage, Duration.ofSeconds(20), dir, m -> { })) {
            int code = new LineWizard(session, terminal, true).run();
            return new Result(code, out.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void pickAnswerFixUndoAndSave() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "A=1\nDEMO=yes\n");
        // words filter the list; the number then picks from what is shown
        Result r = wizard("demo flag\nrelative/path\n" + env + "\n1\ny\ny\ny\n" + dir + "\n");
        assertTrue(r.output().contains("One symptom matches 'demo flag'"), "a single match goes straight to it: " + r.output());
        assertTrue(r.output().contains("file: 'relative/path' is not valid (an absolute path)"), "asked again: " + r.output());
        assertTrue(r.output().contains("VERDICT: demo-on"), r.output());
        assertTrue(r.output().contains("What it checks") || r.output().contains("By hand") || r.output().contains("flag"),
                "explain mode shows each test: " + r.output());
        assertTrue(r.output().contains("-DEMO=yes"), "the plan is previewed as a diff: " + r.output());
        assertTrue(r.output().contains("Undone: 1 change(s) reverted"), r.output());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(env), "undone byte for byte");
        assertEquals(1, r.code(), "the diagnosis found a problem");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("triage-demo-env-") && n.endsWith(".md")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("triage-demo-env-") && n.endsWith(".json")), names.toString());
        }
        Path md;
        try (Stream<Path> files = Files.list(dir)) {
            md = files.filter(p -> p.getFileName().toString().endsWith(".md")).findFirst().orElseThrow();
        }
        String report = Files.readString(md);
        assertTrue(report.contains("**demo-on**") && report.contains("fix drop-demo applied as") && report.contains("undo "), report);
        // the report, the journal entry and the backup may hold the env file's secrets (issue 15)
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("triage-demo-env-")).toList()) {
                assertEquals("rw-------", mode(f), f.toString());
            }
        }
        Path state = dir.resolve("state");
        assertEquals("rwx------", mode(state));
        try (Stream<Path> all = Files.walk(state)) {
            for (Path f : all.filter(p -> !p.startsWith(state.resolve("log"))).toList()) {
                assertEquals(Files.isDirectory(f) ? "rwx------" : "rw-------", mode(f), f.toString());
            }
        }
    }

    private static String mode(Path p) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void notNowChangesNothingAndKeepsThePlanAsAScript() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=1\n");
        Result r = wizard(symptomNumber() + "\n" + env + "\n1\nn\ny\nn\n");
        assertTrue(r.output().contains("Not applied; nothing was changed."), r.output());
        assertEquals("DEMO=1\n", Files.readString(env));
        Path script;
        try (Stream<Path> files = Files.list(dir)) {
            script = files.filter(p -> p.getFileName().toString().startsWith("triage-plan-drop-demo-")).findFirst().orElseThrow();
        }
        try {
            String text = Files.readString(script);
            assertTrue(text.startsWith("#!/bin/sh\n") && text.contains("cat > " + env + " <<'TRIAGE_EOF'"), text);
            assertEquals("rw-------", mode(script), "the plan's diff may hold secrets (issue 15)");
        } finally {
            Files.delete(script);
        }
    }

    @Test
    void anEscapeSequenceFromAFileIsShownNotObeyed() throws Exception {
        // issue 15: an env value holding ESC[2J cleared the screen
        Path env = dir.resolve("evil.env");
        Files.writeString(env, "DEMO=on\u001b[2J\u001b]0;owned\u0007\n");
        Result r = wizard(symptomNumber() + "\n" + env + "\n\nn\n");
        assertTrue(r.output().contains("VERDICT: demo-on"), r.output());
        assertTrue(r.output().contains("DEMO=on\\x1b[2J\\x1b]0;owned\\x07"), r.output());
        assertFalse(r.output().contains("\u001b"), r.output());
        assertFalse(r.output().contains("\u0007"), r.output());
    }

    @Test
    void theFirstQuestionOffersTheLabsAndEnterGoesBack() throws Exception {
        Result r = wizard("L\n\nq\n");
        assertEquals(130, r.code());
        assertTrue(r.output().contains("L) Practice on a lab"), r.output());
        assertTrue(r.output().contains("A firewall rule drops the traffic between two containers  #000"), r.output());
        // the engine is a socket that does not exist here: each lab says what it lacks instead of starting
        assertTrue(r.output().contains("cannot run here: needs"), r.output());
        assertTrue(r.output().indexOf("What do you see?") != r.output().lastIndexOf("What do you see?"), "back to the symptoms");
    }

    @Test
    void qAndEndOfInputLeaveWithoutChanges() throws Exception {
        assertEquals(130, wizard("q\n").code());
        assertEquals(130, wizard("").code());
    }

    /** A fix whose change is put in effect by a follow-up (as smtps-proxy-protocol's restart): needs no Docker. */
    private static final String FOLLOW_UP = """
            id: demo-then
            title: A demo setting needs a second step
            symptom: The demo-then flag needs a follow-up step
            incident:
              id: "902"
            inputs:
              - name: file
                prompt: The env file
                required: true
              - name: other
                prompt: The second env file
                required: true
            start: flag
            tests:
              - id: flag
                title: DEMO in the env file
                probe: env-value
                timeout: 2s
                params:
                  file: ${input.file}
                  key: DEMO
                next:
                  set: demo-on
                  "*": healthy
            verdicts:
              - id: healthy
                title: DEMO is off
                healthy: true
                explanation: DEMO is off.
              - id: demo-on
                title: DEMO is on
                severity: critical
                explanation: DEMO is on.
                fixes: [drop-demo]
            fixes:
              - id: drop-demo
                title: Remove DEMO from the env file
                actions:
                  - kind: env-file-unset
                    file: ${input.file}
                    keys: [DEMO]
                verify:
                  test: flag
                  expect: [unset]
                then: drop-other
              - id: drop-other
                title: Remove OTHER from the env file
                actions:
                  - kind: env-file-unset
                    file: ${input.other}
                    keys: [OTHER]
                verify: manual
            """;

    @Test
    void theFollowUpOfAFixIsOfferedAsItsOwnStep() throws Exception {
        // issue 17: the line dialog never offered a fix's then: (smtps-proxy-protocol's restart)
        Files.writeString(Files.createDirectories(dir.resolve("scenarios")).resolve("demo-then.yaml"), FOLLOW_UP);
        Path env = dir.resolve("app.env");
        Path other = dir.resolve("other.env");
        Files.writeString(env, "DEMO=1\nA=3\n");
        Files.writeString(other, "OTHER=2\nB=4\n");
        Result r = wizard("demo-then\n" + env + "\n" + other + "\n1\ny\ny\nn\nn\n");
        assertTrue(r.output().contains("Next step, to put the change in effect:"), r.output());
        assertTrue(r.output().contains("Remove OTHER from the env file"), r.output());
        assertEquals("A=3\n", Files.readString(env), "both steps applied: " + r.output());
        assertEquals("B=4\n", Files.readString(other), "both steps applied: " + r.output());
        assertTrue(r.output().contains("Undo later with: triage undo "), r.output());
    }

    @Test
    void aDeclinedFollowUpSaysTheChangeBeforeItStaysApplied() throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("scenarios")).resolve("demo-then.yaml"), FOLLOW_UP);
        Path env = dir.resolve("app.env");
        Path other = dir.resolve("other.env");
        Files.writeString(env, "DEMO=1\n");
        Files.writeString(other, "OTHER=2\n");
        Result r = wizard("demo-then\n" + env + "\n" + other + "\n1\ny\nn\nn\nn\n");
        assertTrue(r.output().contains("This step was not taken. The change before it stays applied (undo with:"), r.output());
        assertEquals("", Files.readString(env));
        assertEquals("OTHER=2\n", Files.readString(other));
    }

    /** The demo scenario's place in the list (bundled scenarios come first, sorted by the repository). */
    private int symptomNumber() throws Exception {
        Triage triage = DemoScenarios.triage(dir);
        try (WizardSession s = new WizardSession(triage, Duration.ofSeconds(5), dir, m -> { })) {
            List<WizardSession.Symptom> all = s.symptoms("");
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).scenario().equals("demo-env")) {
                    return i + 1;
                }
            }
        }
        throw new AssertionError("demo-env not listed");
    }

    @Test
    void longLinesWrapAtWordsAndCommandsGoOnPasteably() {
        String text = "  Nothing was changed because the certificate was skipped by the check of the host and it goes on";
        List<String> lines = LineWizard.Wrapping.wrap(text, 40);
        assertTrue(lines.size() > 1, lines.toString());
        for (String l : lines) {
            assertTrue(l.length() <= 40, l);
        }
        assertEquals(text.strip(), String.join(" ", lines.stream().map(String::strip).toList()), "cut only between words");
        List<String> command = LineWizard.Wrapping.wrap("      triage fix demo-env --set file=/a/b/c.env --scenarios /x/y --choose drop", 40);
        assertTrue(command.get(0).endsWith(" \\"), command.toString());
    }

    @Test
    void aSingleMatchGoesStraightToItAndAnotherDiagnosisIsOffered() throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=yes\n");
        Path healthy = dir.resolve("ok.env");
        Files.writeString(healthy, "A=1\n");
        // the filter matches demo-env alone: straight to its form; after the verdict, another diagnosis
        Result r = wizard("demo flag\n" + env + "\n\nn\ny\ndemo flag\n" + healthy + "\nn\nn\n");
        assertTrue(r.output().contains("One symptom matches 'demo flag'"), r.output());
        assertTrue(r.output().contains("VERDICT: demo-on") && r.output().contains("VERDICT: healthy"), r.output());
        assertTrue(r.output().contains("Another diagnosis?"), r.output());
        assertEquals(0, r.code(), "the last diagnosis's code: " + r.output());
    }

    /** demo-env with a second fix, to see the next one offered after the first is declined. */
    private static final String TWO_FIXES = dev.triage.wizard.DemoScenarios.DEMO.replace("id: demo-env", "id: demo-two")
            .replace("symptom: The demo flag is set in the env file", "symptom: The twofold flag is set")
            .replace("fixes: [drop-demo]", "fixes: [drop-demo, drop-a]")
            .replace("""
            fixes:
              - id: drop-demo""", """
            fixes:
              - id: drop-a
                title: Remove A from the env file
                actions:
                  - kind: env-file-unset
                    file: ${input.file}
                    keys: [A]
                verify: manual
              - id: drop-demo""");

    @Test
    void afterDecliningAFixTheNextIsOfferedAndTheReportHoldsThisDiagnosisOnly() throws Exception {
        Files.writeString(Files.createDirectories(dir.resolve("scenarios")).resolve("demo-two.yaml"), TWO_FIXES);
        Path env = dir.resolve("app.env");
        Files.writeString(env, "A=1\nDEMO=yes\n");
        // decline drop-demo (no script), then the other fix is offered: declined too; no report; another diagnosis:
        // demo-two again, declined, and the report saved to the default folder
        Result r = wizard("twofold\n" + env + "\n1\nn\nn\n1\nn\nn\nn\ny\ntwofold\n" + env + "\n\ny\n\nn\n");
        assertTrue(r.output().contains("Other fixes offered:"), r.output());
        assertEquals("A=1\nDEMO=yes\n", Files.readString(env));
        Path reports = dir.resolve("state").resolve("reports");
        assertEquals("rwx------", mode(reports));
        Path md;
        Path json;
        try (Stream<Path> files = Files.list(reports)) {
            List<Path> all = files.toList();
            md = all.stream().filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
            json = all.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        assertTrue(r.output().contains(md.toString()), "the path is shown: " + r.output());
        assertEquals("rw-------", mode(md));
        assertEquals("rw-------", mode(json));
        String report = Files.readString(md);
        assertFalse(report.contains("declined"), "the first diagnosis's declined fixes are not in this one's report: " + report);
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertFalse(doc.path("host").asText().isEmpty(), doc.toString());
        assertFalse(doc.path("triageVersion").asText().isEmpty(), doc.toString());
        assertTrue(doc.path("time").asText().endsWith("Z"), doc.toString());
        assertEquals("the demo write-up", doc.path("references").get(0).asText(), doc.toString());
        assertTrue(doc.path("fixes").get(0).path("command").asText().startsWith("triage fix demo-two --set file="), doc.toString());
    }
}
