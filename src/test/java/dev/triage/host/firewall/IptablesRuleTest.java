package dev.triage.host.firewall;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class IptablesRuleTest {

    private static IptablesRule rule(String line) {
        IptablesRuleset rs = IptablesRuleset.parse("filter", line);
        assertTrue(rs.warnings().isEmpty(), rs.warnings().toString());
        return rs.allRules().get(0);
    }

    @Test
    void parsesDockerRuleFields() {
        IptablesRule r = rule("-A FORWARD -i br-1a2b3c4d5e6f ! -o br-1a2b3c4d5e6f -j ACCEPT");
        assertEquals("filter", r.table());
        assertEquals("FORWARD", r.chain());
        assertEquals(1, r.position());
        assertEquals(List.of("-i", "br-1a2b3c4d5e6f", "!", "-o", "br-1a2b3c4d5e6f", "-j", "ACCEPT"), r.tokens());
        assertEquals(new IptablesRule.Arg("br-1a2b3c4d5e6f", false), r.inInterface());
        assertEquals(new IptablesRule.Arg("br-1a2b3c4d5e6f", true), r.outInterface());
        assertEquals("ACCEPT", r.target());
        assertFalse(r.isGoto());
        assertFalse(r.hasUnsupported());
        assertNull(r.source());
        assertNull(r.dport());
    }

    @Test
    void parsesAddressesProtocolPortAndTargetArgs() {
        IptablesRule r = rule("-A DOCKER-USER ! -s 172.18.0.0/16 -d 10.0.0.5/32 -p tcp -m tcp --dport 6379 "
                + "-j REJECT --reject-with tcp-reset");
        assertEquals(new IptablesRule.Arg("172.18.0.0/16", true), r.source());
        assertEquals(new IptablesRule.Arg("10.0.0.5/32", false), r.destination());
        assertEquals(new IptablesRule.Arg("tcp", false), r.protocol());
        assertEquals(List.of(new IptablesRule.PortRange(6379, 6379)), r.dport().ranges());
        assertEquals("REJECT", r.target());
        assertEquals(List.of("--reject-with", "tcp-reset"), r.targetArgs());
        assertFalse(r.hasUnsupported());
    }

    @Test
    void parsesPortRangesMultiportAndNegation() {
        IptablesRule range = rule("-A X -p udp -m udp ! --dport 1000:2000 -j DROP");
        assertTrue(range.dport().negated());
        assertEquals(List.of(new IptablesRule.PortRange(1000, 2000)), range.dport().ranges());
        assertFalse(range.dport().matches(1500));
        assertTrue(range.dport().matches(53));

        IptablesRule multi = rule("-A X -p tcp -m multiport --dports 25,587,1000:2000 -j ACCEPT");
        assertEquals(3, multi.dport().ranges().size());
        assertTrue(multi.dport().matches(587));
        assertTrue(multi.dport().matches(2000));
        assertFalse(multi.dport().matches(465));

        // iptables-restore style without "-m tcp", and an open range
        IptablesRule implicit = rule("-A X -p tcp --dport :1024 -j DROP");
        assertTrue(implicit.dport().matches(0) && implicit.dport().matches(1024));
        assertFalse(implicit.dport().matches(1025));
    }

    @Test
    void parsesConntrackAndStateWithNegation() {
        IptablesRule ct = rule("-A X -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP");
        assertEquals(Set.of("RELATED", "ESTABLISHED"), ct.ctstate().states());
        assertTrue(ct.ctstate().negated());
        IptablesRule st = rule("-A X -m state --state NEW -j ACCEPT");
        assertEquals(Set.of("NEW"), st.ctstate().states());
        assertFalse(st.ctstate().negated());
    }

    @Test
    void flagsUnsupportedMatchesWithTheirOptions() {
        assertEquals(List.of("-m physdev --physdev-is-bridged"),
                rule("-A FORWARD -m physdev --physdev-is-bridged -j DROP").unsupported());
        IptablesRule r = rule("-A X -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -m addrtype --dst-type LOCAL -j DROP");
        assertEquals(List.of("-m tcp --tcp-flags FIN,SYN,RST,ACK SYN", "-m addrtype --dst-type LOCAL"), r.unsupported());
        assertEquals(List.of("-m set --match-set blocklist src"),
                rule("-A X -m set --match-set blocklist src -j DROP").unsupported());
        assertEquals(List.of("-m mark --mark 0x1/0xff"), rule("-A X -m mark --mark 0x1/0xff -j RETURN").unsupported());
        assertEquals(List.of("-m tcp --sport 1:1024"), rule("-A X -p tcp -m tcp --sport 1:1024 -j RETURN").unsupported());
        assertEquals(List.of("-f"), rule("-A X -f -j RETURN").unsupported());
        // a comment is documentation, not a match
        assertFalse(rule("-A X -m comment --comment \"block mail bridge\" -j DROP").hasUnsupported());
    }

    @Test
    void commentWithSpacesRoundTripsThroughSpec() {
        String line = "-A DOCKER-USER -i br-+ -o br-+ -m comment --comment \"block mail bridge\" -j DROP";
        IptablesRule r = rule(line);
        assertTrue(r.tokens().contains("block mail bridge"), r.tokens().toString());
        assertEquals(line, r.spec());
        assertEquals("DOCKER-USER -i br-+ -o br-+ -m comment --comment \"block mail bridge\" -j DROP", r.shortSpec());
    }

    @Test
    void escapedQuotesAndIptablesStyleQuotingRoundTrip() {
        // exact lines printed by iptables v1.8.9 (nf_tables) for such comments and log prefixes
        for (String line : List.of(
                "-A T -m comment --comment \"say \\\"hi\\\" it\\'s \\\\ ok\" -j RETURN",
                "-A T -m comment --comment \"ufw.rule\" -j RETURN",
                "-A T -m comment --comment plain_word -j RETURN",
                "-A T -s 10.1.2.3/32 -d 10.0.0.0/8 -p tcp -m tcp --dport 25:26 -j LOG --log-prefix \"[UFW BLOCK] \"")) {
            assertEquals(line, rule(line).spec());
        }
        assertTrue(rule("-A T -m comment --comment \"say \\\"hi\\\" it\\'s \\\\ ok\" -j RETURN").tokens()
                .contains("say \"hi\" it's \\ ok"));
    }

    @Test
    void gotoAndCounterOnlyRules() {
        IptablesRule g = rule("-A FORWARD ! -s 1.2.3.0/24 -p tcp -m state --state NEW -g DOCKER-USER");
        assertTrue(g.isGoto());
        assertEquals("DOCKER-USER", g.target());
        IptablesRule none = rule("-A FORWARD -o eth0");
        assertNull(none.target());
        assertEquals("-A FORWARD -o eth0", none.spec());
    }

    @Test
    void numericProtocolAndOldNegationSyntax() {
        assertEquals(new IptablesRule.Arg("tcp", false), rule("-A X -p 6 -j DROP").protocol());
        assertEquals(new IptablesRule.Arg("udp", true), rule("-A X ! -p udp -j DROP").protocol());
        assertEquals(new IptablesRule.Arg("docker0", true), rule("-A X -o ! docker0 -j DROP").outInterface());
    }
}
