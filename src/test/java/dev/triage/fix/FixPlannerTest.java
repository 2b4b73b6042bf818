package dev.triage.fix;

import dev.triage.engine.Diagnosis;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plans of the bundled smtps-proxy-protocol scenario: the rename and its follow-up restart. */
class FixPlannerTest {
    @TempDir
    Path dir;

    private List<FixPlan> plansFor(String verdict, Map<String, String> inputs) throws Exception {
        Path file = Path.of("scenarios/smtps-proxy-protocol.yaml");
        Scenario s = ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
        Diagnosis d = new Diagnosis(s.id(), inputs, List.of(), s.verdicts().get(verdict), "", null, 0);
        return new FixPlanner(new ActionFactory(dir)).plans(s, d);
    }

    private Map<String, String> inputs(boolean container) throws Exception {
        Path masterCf = dir.resolve("postfix-master.cf");
        Files.writeString(masterCf, "smtps/inet/smtpd_upstream_proxy_protocol=haproxy\n");
        Map<String, String> in = new HashMap<>(Map.of("master-cf", masterCf.toString(), "front", "127.0.0.1:10465"));
        in.put("container", container ? "mailserver" : "");
        return in;
    }

    @Test
    void theRestartIsPlannedAfterTheRenameItFollows() throws Exception {
        List<FixPlan> plans = plansFor("dms-smtps-renamed", inputs(true));
        assertEquals(List.of("rename-smtps-overrides", "restart-mailserver"), plans.stream().map(FixPlan::id).toList());
        assertEquals("restart-mailserver", plans.get(0).then());
        assertTrue(plans.get(1).available());
        assertEquals(60, plans.get(1).verify().within().toSeconds());
        assertTrue(plans.get(1).description().contains("Restarts mailserver,"), plans.get(1).description());
        assertTrue(plans.get(0).preview().stream().anyMatch(l -> l.contains("+submissions/inet/smtpd_upstream_proxy_protocol=haproxy")),
                plans.get(0).preview()::toString);
    }

    @Test
    void withoutAContainerTheRestartSaysWhatItNeeds() throws Exception {
        List<FixPlan> plans = plansFor("dms-smtps-renamed", inputs(false));
        assertTrue(plans.get(0).available());
        assertEquals("needs --set container=...", plans.get(1).unavailable());
    }

    @Test
    void aVerdictWithoutFixesPlansNothing() throws Exception {
        assertEquals(List.of(), plansFor("proxy-header-required", inputs(true)));
        assertNull(plansFor("healthy", inputs(true)).stream().findFirst().orElse(null));
    }

    @Test
    void theRestartIsOfferedOnItsOwnOnlyWhereTheFileAlreadySetsTheHeader() throws Exception {
        Path file = Path.of("scenarios/smtps-proxy-protocol.yaml");
        Scenario s = ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
        for (boolean set : new boolean[]{true, false}) {
            var step = new dev.triage.engine.StepResult("master-cf", "lint", "postfix-master-cf", "clean", 1, "",
                    Map.of("submissionsProxy", set), null, null);
            Diagnosis d = new Diagnosis(s.id(), inputs(true), List.of(step), s.verdicts().get("proxy-header-unexpected"), "", null, 0);
            FixPlan restart = new FixPlanner(new ActionFactory(dir)).plans(s, d).get(0);
            assertEquals("restart-mailserver", restart.id());
            assertEquals(set, restart.available(), () -> "submissionsProxy=" + set + ": " + restart.unavailable());
        }
    }

    @Test
    void aFixWhoseConditionDoesNotHoldSaysWhyInTheScenariosWords() throws Exception {
        Path file = Path.of("scenarios/smtps-proxy-protocol.yaml");
        Scenario s = ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
        var step = new dev.triage.engine.StepResult("master-cf", "lint", "postfix-master-cf", "clean", 1, "",
                Map.of("submissionsProxy", false), null, null);
        Diagnosis d = new Diagnosis(s.id(), inputs(true), List.of(step), s.verdicts().get("proxy-header-unexpected"), "", null, 0);
        FixPlan restart = new FixPlanner(new ActionFactory(dir)).plans(s, d).get(0);
        assertEquals("this fix is for when the given postfix-master.cf sets it for submissions; here, the given"
                + " postfix-master.cf does not set it for submissions", restart.unavailable());
    }

    @Test
    void withoutWordsTheReasonNamesTheValueNotTheReference() {
        assertEquals("this fix is for when manager is ufw or manager is firewalld; here, manager is empty",
                FixPlanner.notFor("firewall.manager", "", "ufw|firewalld", Map.of()));
        assertEquals("this fix is for when ufw is in charge; here, nothing is",
                FixPlanner.notFor("firewall.manager", "", "ufw", Map.of("firewall.manager", Map.of("", "nothing is", "ufw", "ufw is in charge"))));
    }
}
