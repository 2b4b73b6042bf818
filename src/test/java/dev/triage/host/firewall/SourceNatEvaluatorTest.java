package dev.triage.host.firewall;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceNatEvaluatorTest {
    /** Docker 20.10's nat table with one compose network. */
    private static final String DOCKER_NAT = """
            -P PREROUTING ACCEPT
            -P INPUT ACCEPT
            -P OUTPUT ACCEPT
            -P POSTROUTING ACCEPT
            -N DOCKER
            -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
            -A POSTROUTING -s 172.18.0.0/16 ! -o br-4e4eb4db3fbd -j MASQUERADE
            -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
            -A DOCKER -i br-4e4eb4db3fbd -j RETURN
            """;

    private static SourceNatEvaluator.NatDecision eval(String rules, String src, String out) {
        return new SourceNatEvaluator().evaluate(IptablesRuleset.parse("nat", rules),
                ForwardPacket.tcp("br-4e4eb4db3fbd", out, src, "198.18.0.2", 465));
    }

    @Test
    void dockersMasqueradeCoversItsSubnetLeavingTheBridge() {
        var d = eval(DOCKER_NAT, "172.18.0.5", "eth0");
        assertTrue(d.translated());
        assertEquals("MASQUERADE", d.target());
        assertEquals(1, d.rule().position());
    }

    @Test
    void aSubnetWithoutItsRuleIsNotTranslated() {
        var d = eval(DOCKER_NAT.replace("-A POSTROUTING -s 172.18.0.0/16 ! -o br-4e4eb4db3fbd -j MASQUERADE\n", ""),
                "172.18.0.5", "eth0");
        assertFalse(d.translated());
        assertNull(d.rule());
        assertTrue(d.describe().startsWith("no source NAT"), d.describe());
    }

    @Test
    void anAcceptBeforeTheMasqueradeStopsTheChainWithoutNat() {
        var d = eval(DOCKER_NAT.replace("-A POSTROUTING -s 172.18.0.0/16", "-A POSTROUTING -o eth0 -j ACCEPT\n-A POSTROUTING -s 172.18.0.0/16"),
                "172.18.0.5", "eth0");
        assertFalse(d.translated());
        assertEquals("ACCEPT", d.rule().target());
    }

    @Test
    void openwrtFw3StyleZoneChainWithSnatIsFollowed() {
        String fw3 = """
                -P POSTROUTING ACCEPT
                -N zone_wan_postrouting
                -A POSTROUTING -o eth1 -j zone_wan_postrouting
                -A zone_wan_postrouting -s 192.168.1.0/24 -j RETURN
                -A zone_wan_postrouting -j SNAT --to-source 198.18.0.1
                """;
        var d = eval(fw3, "172.18.0.5", "eth1");
        assertEquals("SNAT", d.target());
        assertFalse(eval(fw3, "172.18.0.5", "eth0").translated(), "another way out is not covered");
    }
}
