package dev.triage.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15: a healthy verdict can carry warnings (port 465 answered in plain text): every face shows
 * them before the explanation, and the JSON has them as a list. The exit status stays healthy.
 */
class VerdictWarningsTest {
    private static final String WARNING = "198.18.0.2:465 accepts TCP, but TLS was expected on port 465 and the handshake failed";

    private static Scenario scenario() throws Exception {
        Path file = Path.of("scenarios/bridge-egress.yaml");
        return ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
    }

    private static Diagnosis healthyWithWarning(Scenario s) {
        StepResult upstream = new StepResult("upstream", "The host reaches the server", "tcp-connect", "connected", 3,
                "connected", Map.of("tls", "handshake failed"), null, "container", List.of(WARNING));
        StepResult container = new StepResult("container", "The container reaches the server", "container-connect", "connected", 3,
                "connected", Map.of(), null, "healthy", List.of(WARNING)); // the same warning twice is said once
        return new Diagnosis(s.id(), Map.of("target", "198.18.0.2:465"), List.of(upstream, container),
                s.verdicts().get("healthy"), "The container reaches it. Explanation text.", null, 5);
    }

    @Test
    void theWarningComesBeforeTheExplanationOnTheTextFaces() throws Exception {
        Scenario s = scenario();
        Diagnosis d = healthyWithWarning(s);
        assertEquals(Diagnosis.Status.HEALTHY, d.status());
        assertEquals(List.of(WARNING), d.warnings());
        List<String> lines = HumanReport.verdictLines(s, d, List.of(), true, 200);
        assertTrue(lines.get(0).startsWith("VERDICT: healthy"), lines::toString);
        assertEquals("  WARNING: " + WARNING, lines.get(1));
        assertTrue(lines.get(2).contains("Explanation text"), lines::toString);
    }

    @Test
    void theMarkdownReportShowsItBeforeTheVerdict() throws Exception {
        Scenario s = scenario();
        String md = SessionReport.markdown(s, healthyWithWarning(s), List.of(), List.of());
        int warning = md.indexOf("**Warning:** " + WARNING);
        assertTrue(warning > 0, md);
        assertTrue(warning < md.indexOf("**healthy**"), md);
    }

    @Test
    void theJsonCarriesAWarningsList() throws Exception {
        Scenario s = scenario();
        ObjectNode doc = JsonReport.diagnosis(s, healthyWithWarning(s), List.of(), List.of());
        assertEquals("healthy", doc.get("status").asText());
        assertEquals(1, doc.get("warnings").size());
        assertEquals(WARNING, doc.get("warnings").get(0).asText());
        assertEquals(WARNING, doc.get("steps").get(0).get("warnings").get(0).asText());
        Diagnosis plain = new Diagnosis(s.id(), Map.of(), List.of(), s.verdicts().get("healthy"), "x", null, 1);
        assertEquals(0, JsonReport.diagnosis(s, plain, List.of(), List.of()).get("warnings").size());
    }
}
