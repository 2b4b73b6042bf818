package dev.triage.lab;

import dev.triage.app.Catalog;
import dev.triage.probe.ProbeRegistry;
import dev.triage.scenario.Problem;
import dev.triage.scenario.ScenarioRepository;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bundled labs, read and checked against their scenarios like scenario files are; and a broken lab's problems with lines. */
class LabFilesTest {
    private static final ScenarioRepository SCENARIOS = ScenarioRepository.load(new Catalog(ProbeRegistry.standard()), List.of());

    private static final String BASE = """
            id: mini
            title: Mini lab
            incident: "000"
            scenario: bridge-intercontainer
            verdict: forward-blocked
            difficulty: easy
            symptom: It hangs.
            needs: [root, probe-image]
            sandbox:
              - network: net
              - iptables-rule: drop
                chain: DOCKER-USER
                rule: [-i, "${net.bridge}", -j, DROP]
            inputs:
              network: ${net.name}
            hints: [one, two, three]
            fix: [delete-blocking-rule]
            """;

    private static List<Problem> problems(String text) {
        return LabParser.parse("labs/mini.yaml", text, SCENARIOS).problems();
    }

    @Test
    void bundledLabsAreValidAndCoverEveryIncident() {
        LabRepository labs = LabRepository.load(SCENARIOS);
        assertEquals(List.of(), labs.problems());
        assertTrue(labs.labs().size() >= 5, labs.labs().keySet().toString());
        Set<String> incidents = labs.labs().values().stream().map(Lab::incident).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("000", "001", "002", "003", "004"), incidents);
        for (Lab lab : labs.labs().values()) {
            assertTrue(SCENARIOS.get(lab.scenario()).verdicts().get(lab.verdict()).fixes().contains(lab.fixes().get(0)), lab.id());
        }
    }

    @Test
    void theBaseIsValid() {
        assertEquals(List.of(), problems(BASE));
    }

    @Test
    void eachDefectIsReportedWithItsLine() {
        assertProblem(BASE.replace("scenario: bridge-intercontainer", "scenario: no-such"), 4, "unknown scenario 'no-such'");
        assertProblem(BASE.replace("verdict: forward-blocked", "verdict: nope"), 5, "has no verdict 'nope'");
        assertProblem(BASE.replace("verdict: forward-blocked", "verdict: healthy"), 5, "must be a fault");
        assertProblem(BASE.replace("fix: [delete-blocking-rule]", "fix: [rm-rf]"), 17, "has no fix 'rm-rf'");
        assertProblem(BASE.replace("fix: [delete-blocking-rule]", "fix: [enable-ip-forward]"), 17, "the first fix must be one the verdict");
        assertProblem(BASE.replace("${net.bridge}", "${nett.bridge}"), 13, "no earlier step is named 'nett'");
        assertProblem(BASE.replace("${net.bridge}", "${net.port}"), 13, "a network step offers name, bridge, subnet");
        assertProblem(BASE.replace("  network: ${net.name}", "  netwrk: ${net.name}"), 15, "has no input 'netwrk'");
        assertProblem(BASE.replace("    chain: DOCKER-USER\n", "    chain: DOCKER-USER\n    shell: rm -rf /\n"), 13, "unknown setting 'shell'");
        assertProblem(BASE.replace("  - iptables-rule: drop", "  - iptables-rules: drop"), 11, "must start with its kind");
        assertProblem(BASE.replace("hints: [one, two, three]", "hints: [one]"), 16, "at least 3 hints");
        assertProblem(BASE.replace("incident: \"000\"", "incident: \"0\""), 3, "three digits");
        assertProblem(BASE.replace("hints: [one, two, three]", "hints: [one, two, three, the write-up's test]"), 16, "name the incident");
    }

    private static void assertProblem(String text, int line, String words) {
        List<Problem> found = problems(text);
        assertEquals(1, found.size(), found.toString());
        assertEquals(line, found.get(0).line(), found.toString());
        assertEquals("labs/mini.yaml", found.get(0).file());
        assertTrue(found.get(0).message().contains(words), found.toString());
    }

    @Test
    void collateralLeavesOutTheSandboxAndDockersPerNetworkRules() {
        List<String> before = List.of("-P FORWARD DROP", "-A DOCKER-USER -j RETURN");
        List<String> after = List.of("-P FORWARD ACCEPT", "-A DOCKER-USER -i br-0123456789ab -j ACCEPT",
                "-A DOCKER-USER -i br-+ -j ACCEPT", "-A FORWARD -o br-fedcba987654 -j DOCKER", "-A DOCKER-USER -j RETURN",
                "-A POSTROUTING -s 172.17.0.3/32 -d 172.17.0.3/32 -p tcp -m tcp --dport 465 -j MASQUERADE");
        Collateral.Snapshot b = new Collateral.Snapshot();
        b.filter = before;
        Collateral.Snapshot a = new Collateral.Snapshot();
        a.filter = after;
        b.sysctls.put("net.ipv4.ip_forward", "1");
        a.sysctls.put("net.ipv4.ip_forward", "0");
        assertEquals(List.of("iptables -t filter: added -P FORWARD ACCEPT", "iptables -t filter: added -A DOCKER-USER -i br-+ -j ACCEPT",
                "iptables -t filter: removed -P FORWARD DROP", "sysctl net.ipv4.ip_forward changed from 1 to 0"),
                Collateral.changes(b, a, List.of("br-0123456789ab")));
    }
}
