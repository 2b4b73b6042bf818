package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.report.HumanReport;
import dev.triage.report.JsonReport;
import dev.triage.report.SessionReport;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fix description with an input that was not given shows a visible marker, never nothing: pasted,
 * "mkdir -p  && cp -a /srv/mail-state/. / ;" would copy the mail state into /. Every face that
 * renders a plan (CLI and line dialog lines, text UI plan lines, Markdown, JSON) carries it.
 */
class PlanTextMarkersTest {
    @TempDir
    Path dir;

    private static Scenario scenario(String name) throws Exception {
        Path file = Path.of("scenarios", name + ".yaml");
        return ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
    }

    private static StepResult step(String id, String outcome, Map<String, Object> evidence) {
        return new StepResult(id, id, "p", outcome, 1, "s", evidence, null, null);
    }

    private List<FixPlan> dmsPlans() throws Exception {
        Scenario s = scenario("dms-v14-state");
        Map<String, String> inputs = new HashMap<>(Map.of("compose-file", dir.resolve("compose.yaml").toString(),
                "local-state-dir", "", "env-file", ""));
        Diagnosis d = new Diagnosis(s.id(), inputs, List.of(
                step("find", "found", Map.of("name", "mailserver", "composeService", "mailserver", "composeFile", "")),
                step("mail-state", "mounted-network", Map.of("source", "/srv/mail-state"))),
                s.verdicts().get("mail-state-on-nfs"), "", null, 0);
        return new FixPlanner(new ActionFactory(dir)).plans(s, d);
    }

    @Test
    void anInputNotGivenShowsAsAMarkerInTheDescription() throws Exception {
        FixPlan move = dmsPlans().stream().filter(p -> p.id().equals("move-mail-state-local")).findFirst().orElseThrow();
        assertFalse(move.description().contains("mkdir -p  &&"), move.description());
        assertFalse(move.description().contains("/. / ;"), move.description());
        assertTrue(move.description().contains("mkdir -p <local-state-dir: not given> && cp -a /srv/mail-state/. "
                + "<local-state-dir: not given>/"), move.description());
    }

    @Test
    void anEvidenceFieldWithoutAValueShowsAsAMarker() throws Exception {
        Scenario s = scenario("mailu-proxy-ooo");
        Diagnosis d = new Diagnosis(s.id(), new HashMap<>(Map.of("env-file", "")), List.of(
                step("ports", "port25-proxied", Map.of("without25", ""))), s.verdicts().get("ooo-proxy-bug"), "", null, 0);
        FixPlan stop = new FixPlanner(new ActionFactory(dir)).plans(s, d).stream()
                .filter(p -> p.id().equals("stop-proxying-25")).findFirst().orElseThrow();
        assertFalse(stop.description().contains("PROXY_PROTOCOL= in ."), stop.description());
        assertTrue(stop.description().startsWith("Sets PROXY_PROTOCOL=<without25: none> in <env-file: not given>."),
                stop.description());
    }

    @Test
    void everyFaceCarriesTheRenderedDescription() throws Exception {
        Scenario s = scenario("dms-v14-state");
        List<FixPlan> plans = dmsPlans();
        Diagnosis d = new Diagnosis(s.id(), Map.of(), List.of(), s.verdicts().get("mail-state-on-nfs"), "x", null, 0);
        String marker = "<local-state-dir: not given>";
        JsonNode fixes = JsonReport.diagnosis(s, d, plans, List.of()).get("fixes");
        boolean found = false;
        for (JsonNode f : fixes) {
            assertTrue(f.has("description"), f::toString);
            if (f.get("id").asText().equals("move-mail-state-local")) {
                assertTrue(f.get("description").asText().contains(marker), f::toString);
                found = true;
            }
        }
        assertTrue(found);
        assertTrue(SessionReport.markdown(s, d, plans, List.of()).contains(marker));
        FixPlan move = plans.stream().filter(p -> p.id().equals("move-mail-state-local")).findFirst().orElseThrow();
        assertTrue(String.join(" ", HumanReport.planLines(move, 200)).contains(marker));
    }
}
