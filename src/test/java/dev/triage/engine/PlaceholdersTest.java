package dev.triage.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class PlaceholdersTest {
    private static final Map<String, String> INPUTS = Map.of("image", "redis:7.2-alpine", "network", "");
    private static final Map<String, Map<String, Object>> EVIDENCE = Map.of(
            "bridge", Map.of("address", "172.18.0.2", "port", 6379, "bridge", "br-1a2b3c4d5e6f"),
            "forward", Map.of("ruleArgs", List.of("-s", "10.0.0.0/8", "-j", "DROP"), "chain", "DOCKER-USER"));

    private static Object resolve(Object value) throws Placeholders.UnresolvedException {
        return Placeholders.resolve(value, INPUTS, EVIDENCE);
    }

    @Test
    void inputPlaceholderTakesTheInputValue() throws Exception {
        assertEquals("redis:7.2-alpine", resolve("${input.image}"));
    }

    @Test
    void inputThatIsNotSetBecomesEmpty() throws Exception {
        assertEquals("", resolve("${input.target}"));
    }

    @Test
    void evidencePlaceholderTakesTheField() throws Exception {
        assertEquals("172.18.0.2", resolve("${bridge.address}"));
    }

    @Test
    void placeholdersInsideTextAreRendered() throws Exception {
        assertEquals("connect 172.18.0.2:6379 via br-1a2b3c4d5e6f",
                resolve("connect ${bridge.address}:${bridge.port} via ${bridge.bridge}"));
    }

    @Test
    void wholeValueListPlaceholderStaysAList() throws Exception {
        assertEquals(List.of("-s", "10.0.0.0/8", "-j", "DROP"), resolve("${forward.ruleArgs}"));
    }

    @Test
    void listPlaceholderInsideTextIsJoinedWithSpaces() throws Exception {
        assertEquals("rule: -s 10.0.0.0/8 -j DROP", resolve("rule: ${forward.ruleArgs}"));
    }

    @Test
    void listContainingPlaceholdersIsFlattened() throws Exception {
        Object r = resolve(List.of("-i", "${bridge.bridge}", "${forward.ruleArgs}", "-m", "${input.image}"));
        assertEquals(List.of("-i", "br-1a2b3c4d5e6f", "-s", "10.0.0.0/8", "-j", "DROP", "-m", "redis:7.2-alpine"), r);
    }

    @Test
    void testThatDidNotRunIsUnresolved() {
        var e = assertThrows(Placeholders.UnresolvedException.class, () -> resolve("${host-path.address}"));
        assertEquals("${host-path.address}: test 'host-path' did not run on this path", e.getMessage());
    }

    @Test
    void fieldTheProbeDoesNotHaveIsUnresolved() {
        var e = assertThrows(Placeholders.UnresolvedException.class, () -> resolve("at ${bridge.gateway}"));
        assertEquals("${bridge.gateway}: test 'bridge' has no evidence field gateway", e.getMessage());
    }

    @Test
    void fieldTheProbeLeftEmptyIsAnEmptyString() throws Exception {
        Map<String, Map<String, Object>> evidence = new java.util.HashMap<>();
        Map<String, Object> fields = new java.util.HashMap<>();
        fields.put("iccOption", null);
        evidence.put("bridge", fields);
        assertEquals("icc=", Placeholders.resolve("icc=${bridge.iccOption}", Map.of(), evidence));
    }

    @Test
    void unresolvedInsideAListIsUnresolved() {
        assertThrows(Placeholders.UnresolvedException.class, () -> resolve(List.of("-i", "${nosuch.bridge}")));
    }

    @Test
    void renderLenientShowsUnknownForWhatCannotBeResolved() {
        assertEquals("server (unknown) at 172.18.0.2, field (unknown)",
                Placeholders.renderLenient("server ${host-path.address} at ${bridge.address}, field ${bridge.nothing}",
                        INPUTS, EVIDENCE));
    }

    @Test
    void textWithoutPlaceholdersIsUnchanged() throws Exception {
        assertEquals("plain $HOME {x}", resolve("plain $HOME {x}"));
    }

    @Test
    void alternativesTakeTheFirstNonEmptyValue() throws Exception {
        Map<String, Map<String, Object>> evidence = Map.of("front", Map.of("problem", ""), "direct", Map.of("problem", "expired"));
        assertEquals("expired", Placeholders.resolve("${front.problem|direct.problem}", INPUTS, evidence));
        assertEquals("at: expired", Placeholders.render("at: ${missing.problem|direct.problem}", INPUTS, evidence),
                "an alternative whose test did not run is skipped");
    }

    @Test
    void alternativesThatAllResolveEmptyGiveEmpty() throws Exception {
        Map<String, Map<String, Object>> evidence = Map.of("front", Map.of("problem", ""));
        assertEquals("", Placeholders.resolve("${front.problem|input.network}", INPUTS, evidence));
    }

    @Test
    void alternativesThatNoneResolveAreUnresolved() {
        assertThrows(Placeholders.UnresolvedException.class, () -> resolve("${nope.a|never.b}"));
        assertEquals("(unknown)", Placeholders.renderLenient("${nope.a|never.b}", INPUTS, EVIDENCE));
    }

    private static final Map<String, Map<String, String>> WORDS = Map.of(
            "check.outcome", Map.of("not-matched", "none of the messages", "matched", "it shows the failure"),
            "check.complete", Map.of("true", "read to its end", "false", "cut short"),
            "check.manager", Map.of("", "no firewall manager"));

    private static String prose(String text, Map<String, Object> check) {
        return Placeholders.renderProse(text, Map.of("network", ""), Map.of("check", check), WORDS);
    }

    @Test
    void proseSaysOutcomesAndTrueFalseInTheScenariosWords() {
        Map<String, Object> check = new java.util.HashMap<>(Map.of("outcome", "not-matched", "complete", true, "manager", "ufw",
                "matches", List.of()));
        assertEquals("Log: none of the messages (read to its end); ufw",
                prose("Log: ${check.outcome} (${check.complete}); ${check.manager}", check));
        // the first alternative with a value is said through its own words
        assertEquals("Log: none of the messages", prose("Log: ${check.matches|check.outcome}", check));
        check.put("matches", List.of("integrity check failed"));
        assertEquals("Log: integrity check failed", prose("Log: ${check.matches|check.outcome}", check));
    }

    @Test
    void proseSaysAnEmptyValueInWordsOrAsAMarkerNeverAsNothing() {
        Map<String, Object> check = new java.util.HashMap<>(Map.of("outcome", "matched", "manager", "", "ports", List.of()));
        assertEquals("no firewall manager", prose("${check.manager}", check));
        assertEquals("none", prose("${check.ports|\"none\"}", check));
        assertEquals("<ports: none>", prose("${check.ports}", check));
        // words in quotes, even empty ones, are what the scenario wants shown
        assertEquals("end.", prose("end.${check.ports|\"\"}", check));
        assertEquals("<network: not given>", prose("${input.network}", check));
    }

    @Test
    void proseSaysATestThatCouldNotRunInWords() {
        assertEquals("Log: " + Placeholders.NOT_CHECKED, prose("Log: ${check.outcome}", Map.of("outcome", "inconclusive")));
    }

    @Test
    void wordsNeverReachParametersNorByHandCommands() throws Exception {
        Map<String, Map<String, Object>> evidence = Map.of("check", Map.of("outcome", "not-matched", "complete", true));
        assertEquals("not-matched true", Placeholders.render("${check.outcome} ${check.complete}", Map.of(), evidence));
        assertEquals("not-matched", Placeholders.renderByHand("${check.outcome}", Map.of(), evidence));
        assertEquals("not-matched", Placeholders.renderLenient("${check.outcome}", Map.of(), evidence));
    }
}
