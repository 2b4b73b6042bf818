package dev.triage.probe;

import dev.triage.docker.ExecResult;
import dev.triage.host.firewall.IptablesRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContainerConnectProbeTest {
    private static String classify(Long exit, String output, boolean timedOut) {
        return ContainerConnectProbe.classify(new ExecResult(List.of("nc"), exit, output, timedOut, 10));
    }

    @Test
    void busyboxNcMessagesAreToldApart() {
        assertEquals("connected", classify(0L, "", false));
        assertEquals("refused", classify(1L, "nc: can't connect to remote host (198.18.0.2): Connection refused\n", false));
        assertEquals("unreachable", classify(1L, "nc: can't connect to remote host (198.18.0.2): No route to host\n", false));
        assertEquals("unreachable", classify(1L, "nc: can't connect to remote host (198.18.0.2): Network is unreachable\n", false));
        assertEquals("timeout", classify(1L, "nc: timed out\n", false));
        assertEquals("timeout", classify(null, "", true));
        assertEquals("dns-failure", classify(1L, "nc: bad address 'smtp.invalid'\n", false));
        assertEquals("setup-failed", classify(127L, "exec: \"nc\": executable file not found in $PATH\n", false));
    }

    @Test
    void aRuleIsSpecificWhenItNamesTheBridgeACoveringWildcardOrASource() {
        assertTrue(ForwardRulesProbe.isSpecific(IptablesRule.of("filter", "DOCKER-USER", 1, List.of("-i", "br-1", "-j", "REJECT")), "br-1", "172.18.0.2"));
        assertTrue(ForwardRulesProbe.isSpecific(IptablesRule.of("filter", "DOCKER-USER", 1, List.of("-i", "br-+", "-j", "DROP")), "br-1", "172.18.0.2"));
        assertTrue(ForwardRulesProbe.isSpecific(IptablesRule.of("filter", "FORWARD", 3, List.of("-s", "172.18.0.0/16", "-j", "DROP")), "br-1", "172.18.0.2"));
        assertFalse(ForwardRulesProbe.isSpecific(IptablesRule.of("filter", "FORWARD", 9,
                List.of("-j", "REJECT", "--reject-with", "icmp-host-prohibited")), "br-1", "172.18.0.2"), "a catch-all stays");
        assertFalse(ForwardRulesProbe.isSpecific(IptablesRule.of("filter", "FORWARD", 9, List.of("!", "-i", "br-1", "-j", "DROP")), "br-1", "x"));
    }
}
