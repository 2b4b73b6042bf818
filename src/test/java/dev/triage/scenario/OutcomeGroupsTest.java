package dev.triage.scenario;

import dev.triage.app.Catalog;
import dev.triage.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A probe's outcome group in a scenario reads as its members everywhere after loading. */
class OutcomeGroupsTest {
    private static final KindCatalog CATALOG = new Catalog(ProbeRegistry.standard());

    private static final String TEXT = """
            id: grouped
            title: Grouped outcomes
            symptom: TLS looks off
            incident:
              id: "003"
            inputs:
              - name: target
                prompt: Server
                type: host-port
                default: "127.0.0.1:465"
            start: tls
            tests:
              - id: tls
                title: The handshake
                probe: tls-handshake
                timeout: 2s
                params:
                  target: ${input.target}
                next:
                  expired: old
                  handshake-worked: again
                  "*": broken
              - id: again
                title: "Decide on it"
                switch: tls
                next:
                  handshake-worked: fine
                  "*": broken
            verdicts:
              - id: fine
                title: It works
                healthy: true
                explanation: Fine.
              - id: old
                title: The certificate expired
                explanation: Expired.
                fixes: [nudge]
              - id: broken
                title: No TLS
                explanation: Broken.
            fixes:
              - id: nudge
                title: Restart it
                description: Restarts the container.
                actions:
                  - kind: container-restart
                    container: mail
                verify:
                  test: tls
                  expect: [handshake-worked]
            """;

    @Test
    void groupNamesBecomeTheirMembersAndAnOutcomeNamedAloneKeepsItsTarget() {
        List<Problem> problems = ScenarioRepository.check(CATALOG, "grouped.yaml", TEXT);
        assertTrue(problems.stream().noneMatch(p -> p.message().contains("handshake-worked")), problems.toString());
        Scenario s = ScenarioRepository.load(CATALOG, List.of()).scenarios().get("smtps-proxy-protocol");
        // the bundled scenario says the group in three switches and one fix; after loading, only outcomes
        for (TestNode t : s.tests().values()) {
            assertTrue(!t.next().containsKey("handshake-worked"), t.id() + " " + t.next());
        }
        TestNode serverSpeaks = s.tests().get("server-speaks");
        for (String o : List.of("verified", "expired", "not-yet-valid", "untrusted", "name-mismatch")) {
            assertEquals("plain-front", serverSpeaks.next().get(o), o);
        }
        assertEquals("header-v1", serverSpeaks.next().get("plaintext"));
    }

    @Test
    void expandsNextAndVerifyWithTheGroupsOfTheRightTest() {
        List<Problem> problems = new java.util.ArrayList<>();
        Scenario parsed = ScenarioParser.parse("grouped.yaml", TEXT).scenario();
        Scenario s = OutcomeGroups.expand(parsed, CATALOG, problems);
        assertEquals(List.of(), problems);
        Map<String, String> next = s.tests().get("tls").next();
        assertEquals("old", next.get("expired"), "named on its own, it keeps its own target");
        for (String o : List.of("verified", "not-yet-valid", "untrusted", "name-mismatch")) {
            assertEquals("again", next.get(o), o);
            assertEquals("fine", s.tests().get("again").next().get(o), "a switch uses the groups of the test it switches on: " + o);
        }
        assertEquals("broken", next.get("*"));
        assertTrue(!next.containsKey("handshake-worked"));
        assertEquals(List.of("verified", "expired", "not-yet-valid", "untrusted", "name-mismatch"),
                s.fixes().get("nudge").verify().expect());
        assertEquals(List.of(), new ScenarioValidator(CATALOG).validate(s));
    }

    @Test
    void aGroupOfAnotherKindIsAnUnknownOutcome() {
        String wrong = TEXT.replace("    switch: tls\n", "    probe: sysctl\n    params:\n      key: net.ipv4.ip_forward\n");
        assertTrue(!wrong.equals(TEXT));
        List<Problem> problems = ScenarioRepository.check(CATALOG, "grouped.yaml", wrong);
        assertTrue(problems.stream().anyMatch(p -> p.message().contains("'handshake-worked'")), problems.toString());
    }
}
