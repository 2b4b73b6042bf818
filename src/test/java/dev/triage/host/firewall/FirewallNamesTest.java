package dev.triage.host.firewall;

import org.junit.jupiter.api.Test;

import static dev.triage.host.firewall.FirewallNames.*;
import static org.junit.jupiter.api.Assertions.*;

class FirewallNamesTest {

    @Test
    void chains() {
        assertTrue(isValidChain("DOCKER-USER"));
        assertTrue(isValidChain("DOCKER-ISOLATION-STAGE-1"));
        assertTrue(isValidChain("ufw-before-forward"));
        assertTrue(isValidChain("a".repeat(28)));
        assertFalse(isValidChain("a".repeat(29)));
        assertFalse(isValidChain(""));
        assertFalse(isValidChain(null));
        assertFalse(isValidChain("-j"));
        assertFalse(isValidChain("DOCKER USER"));
        assertFalse(isValidChain("X;rm"));
        assertFalse(isValidChain("X\n-A FORWARD"));
    }

    @Test
    void interfaces() {
        assertTrue(isValidInterface("docker0"));
        assertTrue(isValidInterface("br-1a2b3c4d5e6f"));
        assertTrue(isValidInterface("br-+"));
        assertTrue(isValidInterface("veth1234@if5"));
        assertTrue(isValidInterface("eth0:1"));
        assertTrue(isValidInterface("e".repeat(15)));
        assertFalse(isValidInterface("e".repeat(16)));
        assertFalse(isValidInterface("br-1a2b3c4d5e6f+")); // 16 with the wildcard
        assertFalse(isValidInterface("+"));
        assertFalse(isValidInterface("br+x"));
        assertFalse(isValidInterface("-o"));
        assertFalse(isValidInterface("eth 0"));
        assertFalse(isValidInterface("eth0/1"));
        assertFalse(isValidInterface(".."));
        assertFalse(isValidInterface(""));
        assertFalse(isValidInterface(null));
    }

    @Test
    void ruleTokens() {
        assertTrue(isSafeRuleToken("block mail bridge"));
        assertTrue(isSafeRuleToken("x".repeat(255)));
        assertFalse(isSafeRuleToken("x".repeat(256)));
        assertFalse(isSafeRuleToken("a\nb"));
        assertFalse(isSafeRuleToken("a\rb"));
        assertFalse(isSafeRuleToken("a\0b"));
        assertFalse(isSafeRuleToken(null));
    }
}
