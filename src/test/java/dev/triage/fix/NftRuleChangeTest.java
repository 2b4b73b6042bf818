package dev.triage.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NftRuleChangeTest {

    @Test
    void theInsertIsJsonBuiltHereNotNftSyntax() throws Exception {
        NftRuleChange c = NftRuleChange.acceptBridge("inet", "fw4", "forward", "br-4e4eb4db3fbd", "eth0", false);
        List<String> argv = c.insertArgv();
        assertEquals(List.of("nft", "-j", "-e", "-a"), argv.subList(0, 4));
        var doc = new ObjectMapper().readTree(argv.get(4));
        var rule = doc.path("nftables").get(0).path("insert").path("rule");
        assertEquals("fw4", rule.path("table").asText());
        assertEquals("forward", rule.path("chain").asText());
        assertEquals("br-4e4eb4db3fbd", rule.path("expr").get(0).path("match").path("right").asText());
        assertEquals("added by triage: accept from br-4e4eb4db3fbd to eth0", rule.path("comment").asText());
        assertEquals("iifname \"br-4e4eb4db3fbd\" oifname \"eth0\" accept comment \"added by triage: accept from br-4e4eb4db3fbd to eth0\"",
                c.ruleText());
        assertTrue(c.preview().get(1).contains("nft insert rule inet fw4 forward iifname \"br-4e4eb4db3fbd\""), c.preview().toString());
    }

    @Test
    void repliesOnlyAddsTheConntrackMatch() {
        NftRuleChange c = NftRuleChange.acceptBridge("inet", "fw4", "forward", "eth0", "br-1", true);
        assertEquals("iifname \"eth0\" oifname \"br-1\" ct state established,related accept comment \"added by triage: accept replies"
                + " from eth0 to br-1\"", c.ruleText());
    }

    @Test
    void theDeleteNamesTheHandle() {
        NftRuleChange c = NftRuleChange.delete("inet", "mine", "filter_forward", 7, "iifname \"br-*\" tcp dport 465 counter drop");
        assertEquals(List.of("nft", "delete", "rule", "inet", "mine", "filter_forward", "handle", "7"), c.deleteArgv());
        assertTrue(c.describe().contains("(handle 7)"));
    }

    @Test
    void unsafeOrIncompleteValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.acceptBridge("bridge", "t", "c", "br-1", "br-1", false));
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.acceptBridge("inet", "fw4; flush ruleset", "c", "br-1", null, false));
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.acceptBridge("inet", "fw4", "forward", "br 1", null, false));
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.acceptBridge("inet", "fw4", "forward", null, null, false));
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.acceptBridge("inet", "fw4", "forward", "br-*", null, false));
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.delete("inet", "fw4", "forward", 0, "drop"));
        assertThrows(IllegalArgumentException.class, () -> NftRuleChange.delete("inet", "fw4", "forward", 5, " "));
    }

    @Test
    void theJournalReadsItBack() throws Exception {
        ObjectMapper json = new ObjectMapper();
        FixAction a = NftRuleChange.acceptBridge("ip", "docker-bridges", "filter-FORWARD", "bridge1", "bridge1", false);
        FixAction back = json.readValue(json.writeValueAsString(a), FixAction.class);
        assertEquals(a, back);
    }
}
