package dev.triage.fix;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IptablesRuleChangeTest {
    private static final List<String> ACCEPT_BRIDGE = List.of("-i", "br-1a2b3c4d5e6f", "-o", "br-1a2b3c4d5e6f", "-j", "ACCEPT");

    private static void assertRefused(String expectedStart, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }

    @Test
    void acceptsAnOrdinaryRule() {
        IptablesRuleChange c = IptablesRuleChange.insert("iptables-nft", "filter", "DOCKER-USER", 1, ACCEPT_BRIDGE);
        assertEquals(List.of("iptables-nft", "-w", "5", "-t", "filter", "-I", "DOCKER-USER", "1",
                "-i", "br-1a2b3c4d5e6f", "-o", "br-1a2b3c4d5e6f", "-j", "ACCEPT"), c.insertArgs(1));
    }

    @Test
    void deleteArgsNameTheRuleNotAPosition() {
        IptablesRuleChange c = IptablesRuleChange.delete("iptables", "filter", "DOCKER-USER", List.of("-j", "DROP"));
        assertEquals(List.of("iptables", "-w", "5", "-t", "filter", "-D", "DOCKER-USER", "-j", "DROP"), c.deleteArgs());
    }

    @Test
    void refusesAnInterfaceNameWithASpace() {
        assertRefused("not a valid interface name", () -> IptablesRuleChange.insert("iptables", "filter", "DOCKER-USER", 1,
                List.of("-i", "br 0", "-j", "ACCEPT")));
    }

    @Test
    void refusesAnInterfaceNameStartingWithADash() {
        assertRefused("not a valid interface name", () -> IptablesRuleChange.insert("iptables", "filter", "DOCKER-USER", 1,
                List.of("-o", "-br0", "-j", "ACCEPT")));
    }

    @Test
    void refusesAChainNameTooLong() {
        assertRefused("not a valid chain name", () -> IptablesRuleChange.delete("iptables", "filter", "C".repeat(29),
                List.of("-j", "DROP")));
    }

    @Test
    void refusesAnUnknownBinary() {
        assertRefused("not an iptables binary", () -> IptablesRuleChange.delete("nft", "filter", "FORWARD", List.of("-j", "DROP")));
        assertRefused("not an iptables binary", () -> IptablesRuleChange.delete("/tmp/iptables", "filter", "FORWARD",
                List.of("-j", "DROP")));
    }

    @Test
    void refusesAnUnknownTable() {
        assertRefused("not an iptables table", () -> IptablesRuleChange.delete("iptables", "security2", "FORWARD",
                List.of("-j", "DROP")));
    }

    @Test
    void refusesEmptyRulesAndRuleWordsWithLineBreaks() {
        assertRefused("rule words are empty or unsafe", () -> IptablesRuleChange.delete("iptables", "filter", "FORWARD", List.of()));
        assertRefused("rule words are empty or unsafe", () -> IptablesRuleChange.delete("iptables", "filter", "FORWARD",
                List.of("-j", "DROP\n-A FORWARD")));
    }

    @Test
    void refusesAPositionOutOfRange() {
        assertRefused("rule position out of range", () -> IptablesRuleChange.insert("iptables", "filter", "FORWARD", 0,
                List.of("-j", "ACCEPT")));
    }

    @Test
    void factoryTurnsARefusalIntoAFixException() {
        FixException e = assertThrows(FixException.class, () -> new ActionFactory(java.nio.file.Path.of("/nonexistent"))
                .build("iptables-rule-insert", java.util.Map.of("binary", "iptables", "chain", "DOCKER-USER",
                        "rule", List.of("-i", "br 0", "-j", "ACCEPT")), "why"));
        assertTrue(e.getMessage().startsWith("refusing the action iptables-rule-insert: not a valid interface name"), e.getMessage());
    }
}
