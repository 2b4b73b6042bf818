package dev.triage.report;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

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
 * issue 15: an env value with ESC[2J cleared the screen. Everything from the engine or a file is made
 * printable by one sanitizer before any face shows it.
 */
class PrintableTest {
    static final String CLEAR = "\u001b[2J";

    @Test
    void controlAndFormatCharactersBecomeVisibleEscapes() {
        assertEquals("a\\x1b[2Jb", Printable.line("a" + CLEAR + "b"));
        assertEquals("\\x9b31m", Printable.line("\u009b31m")); // C1 CSI
        assertEquals("x\\x07\\x08\\x0d\\x7f", Printable.line("x\u0007\b\r\u007f"));
        assertEquals("evil\\u202etxt.exe", Printable.line("evil\u202etxt.exe")); // right-to-left override
        assertEquals("zero\\u200bwidth", Printable.line("zero\u200bwidth"));
        assertEquals("a\\nb", Printable.line("a\nb"));
        assertEquals("a\nb", Printable.text("a\nb"));
        assertEquals("tab\there, grüße, ✔, 日本", Printable.line("tab\there, grüße, ✔, 日本"));
        assertTrue(Printable.isPrintable("plain text\nnext line"));
        assertFalse(Printable.isPrintable(CLEAR));
    }

    @Test
    void theStreamForPeopleEscapesWhateverIsPrinted() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = Printable.stream(bytes, StandardCharsets.UTF_8);
        out.println("v=" + CLEAR);
        out.print("w=" + CLEAR);
        out.printf(" %s%n", "x" + CLEAR);
        out.print((Object) ("o" + CLEAR));
        out.append("c" + CLEAR);
        out.flush();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(s.contains("\u001b"), s);
        assertEquals("v=\\x1b[2J" + System.lineSeparator() + "w=\\x1b[2J x\\x1b[2J" + System.lineSeparator()
                + "o\\x1b[2Jc\\x1b[2J", s);
    }

    private static Scenario scenario() throws Exception {
        Path file = Path.of("scenarios/mailu-proxy-ooo.yaml");
        return ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
    }

    @Test
    void everyRenderingOfADiagnosisIsPrintable() throws Exception {
        Scenario s = scenario();
        StepResult proxy = new StepResult("proxy", "PROXY_PROTOCOL", "env-value", "set", 2,
                "PROXY_PROTOCOL=mail" + CLEAR + " in the environment of container front\u009b2J",
                Map.of("key", "PROXY_PROTOCOL", "value", "mail" + CLEAR, "source", "the environment of container front"),
                null, "version", List.of("warned " + CLEAR));
        Diagnosis d = new Diagnosis(s.id(), Map.of("container", "front"), List.of(proxy), s.verdicts().get("ooo-proxy-bug"),
                "PROXY_PROTOCOL=mail" + CLEAR + " makes the front expect a header", null, 3);
        List<String> all = new ArrayList<>();
        all.addAll(HumanReport.verdictLines(s, d, List.of(), true, 100));
        all.addAll(HumanReport.stepLines(proxy, 100));
        all.addAll(HumanReport.evidenceLines(proxy));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HumanReport.step(new PrintStream(bytes, true, StandardCharsets.UTF_8), proxy);
        all.add(bytes.toString(StandardCharsets.UTF_8));
        all.add(SessionReport.markdown(s, d, List.of(), List.of()));
        for (String line : all) {
            assertFalse(line.contains("\u001b") || line.contains("\u009b"), line);
        }
        assertTrue(String.join("\n", all).contains("mail\\x1b[2J"), all::toString);
    }
}
