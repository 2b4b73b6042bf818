package dev.triage.probe;

import dev.triage.host.firewall.IptablesRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardRulesProbeTest {

    @Test
    void dockersIccRuleIsRecognisedOnlyForItsOwnBridge() {
        IptablesRule icc = IptablesRule.of("filter", "FORWARD", 7, List.of("-i", "br-1", "-o", "br-1", "-j", "DROP"));
        assertTrue(ForwardRulesProbe.isDockerIccRule(icc, "br-1", "br-1"));
        assertFalse(ForwardRulesProbe.isDockerIccRule(icc, "br-2", "br-2"));
        IptablesRule user = IptablesRule.of("filter", "DOCKER-USER", 1, List.of("-i", "br-1", "-o", "br-1", "-j", "DROP"));
        assertFalse(ForwardRulesProbe.isDockerIccRule(user, "br-1", "br-1"), "the same words in DOCKER-USER are the admin's");
        assertFalse(ForwardRulesProbe.isDockerIccRule(null, "br-1", "br-1"));
    }
}
