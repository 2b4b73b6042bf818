package dev.triage.host.firewall;

import dev.triage.host.firewall.Decision.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ForwardEvaluatorTest {
    private static final String BR = "br-1a2b3c4d5e6f";
    private static final ForwardPacket INTRA = ForwardPacket.tcp(BR, BR, "172.18.0.2", "172.18.0.3", 25);
    private static final ForwardPacket OUTSIDE = ForwardPacket.tcp(BR, "eth0", "172.18.0.2", "93.184.216.34", 443);

    private final ForwardEvaluator ev = new ForwardEvaluator();

    private Decision eval(String iptablesS, ForwardPacket p) {
        return ev.evaluate(IptablesRuleset.parse("filter", iptablesS), p);
    }

    @Test
    void dockerDefaultAcceptsIntraBridgeByTheBridgeRule() {
        Decision d = eval(Fixtures.DOCKER_20_10, INTRA);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertFalse(d.byPolicy());
        assertEquals("-A FORWARD -i br-1a2b3c4d5e6f -o br-1a2b3c4d5e6f -j ACCEPT", d.rule().spec());
        assertEquals(10, d.rule().position());
        assertEquals(List.of("FORWARD#1", "DOCKER-USER#1", "FORWARD#2", "DOCKER-ISOLATION-STAGE-1#3", "FORWARD#8",
                "FORWARD#10"), d.trail());
        assertTrue(d.uncertainRules().isEmpty());
        assertFalse(d.blocked());
    }

    @Test
    void dockerDefaultAcceptsBridgeToOutsideAfterIsolationReturns() {
        Decision d = eval(Fixtures.DOCKER_20_10, OUTSIDE);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertEquals(9, d.rule().position());
        assertEquals("FORWARD#1 -> DOCKER-USER#1 -> FORWARD#2 -> DOCKER-ISOLATION-STAGE-1#2 -> "
                + "DOCKER-ISOLATION-STAGE-2#3 -> DOCKER-ISOLATION-STAGE-1#3 -> FORWARD#9", d.path());
    }

    @Test
    void dockerIsolationDropsBetweenBridges() {
        Decision d = eval(Fixtures.DOCKER_20_10, ForwardPacket.tcp(BR, "docker0", "172.18.0.2", "172.17.0.2", 25));
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP", d.rule().spec());
        assertEquals("DROP by rule 'DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP' (position 1 in chain "
                + "DOCKER-ISOLATION-STAGE-2)", d.describe());
    }

    @Test
    void dockerUserWildcardDropNamesTheRule() {
        Decision d = eval(Fixtures.withDockerUser("-i br-+ -o br-+ -j DROP"), INTRA);
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("DOCKER-USER", d.rule().chain());
        assertEquals(1, d.rule().position());
        assertEquals(List.of("FORWARD#1", "DOCKER-USER#1"), d.trail());
        assertEquals("DROP by rule 'DOCKER-USER -i br-+ -o br-+ -j DROP' (position 1 in chain DOCKER-USER)",
                d.describe());
        // the wildcard does not cover traffic leaving through eth0
        assertEquals(Verdict.ACCEPT, eval(Fixtures.withDockerUser("-i br-+ -o br-+ -j DROP"), OUTSIDE).verdict());
    }

    @Test
    void dockerUserRejectForOnePortFromOneSubnet() {
        String rs = Fixtures.withDockerUser("-s 172.18.0.0/16 -p tcp -m tcp --dport 6379 -j REJECT --reject-with tcp-reset");
        Decision d = eval(rs, ForwardPacket.tcp(BR, BR, "172.18.0.5", "172.18.0.6", 6379));
        assertEquals(Verdict.REJECT, d.verdict());
        assertTrue(d.blocked());
        assertEquals(List.of("--reject-with", "tcp-reset"), d.rule().targetArgs());
        assertTrue(d.describe().startsWith("REJECT by rule 'DOCKER-USER -s 172.18.0.0/16 -p tcp -m tcp --dport 6379"
                + " -j REJECT --reject-with tcp-reset' (position 1"), d.describe());
        // other port, other source, other protocol: the bridge rule accepts
        assertEquals(Verdict.ACCEPT, eval(rs, INTRA).verdict());
        assertEquals(Verdict.ACCEPT, eval(rs, ForwardPacket.tcp(BR, BR, "172.19.0.5", "172.18.0.6", 6379)).verdict());
        assertEquals(Verdict.ACCEPT,
                eval(rs, new ForwardPacket(BR, BR, "172.18.0.5", "172.18.0.6", "udp", 6379)).verdict());
    }

    @Test
    void ufwWithoutDockerRulesDropsByPolicy() {
        Decision d = eval(Fixtures.UFW, ForwardPacket.tcp("docker0", "docker0", "172.17.0.2", "172.17.0.3", 25));
        assertEquals(Verdict.DROP, d.verdict());
        assertTrue(d.byPolicy());
        assertNull(d.rule());
        assertEquals("FORWARD", d.policyChain());
        assertEquals("DROP by policy of chain FORWARD (no rule accepted the packet)", d.describe());
        // the rate-limited LOG rule cannot change the verdict, so it is not reported as uncertain
        assertTrue(d.uncertainRules().isEmpty(), d.uncertainRules().toString());
        assertEquals("FORWARD:policy DROP", d.trail().get(d.trail().size() - 1));
    }

    @Test
    void ufwIcmpTypeRulesAreUncertainNotGuessed() {
        Decision d = eval(Fixtures.UFW, new ForwardPacket("docker0", "eth0", "172.17.0.2", "1.1.1.1", "icmp", null));
        assertEquals(Verdict.DROP, d.verdict());
        assertTrue(d.byPolicy());
        assertEquals(4, d.uncertainRules().size());
        assertTrue(d.describe().contains("uncertain: rule 'ufw-before-forward -p icmp -m icmp --icmp-type 3 -j ACCEPT'"
                + " (position 2 in chain ufw-before-forward)"), d.describe());
    }

    @Test
    void relatedEstablishedOnlyAcceptFallsToPolicyForNew() {
        for (String module : List.of("-m conntrack --ctstate", "-m state --state")) {
            String rs = "-P FORWARD DROP\n-A FORWARD " + module + " RELATED,ESTABLISHED -j ACCEPT\n";
            Decision d = eval(rs, INTRA);
            assertEquals(Verdict.DROP, d.verdict(), module);
            assertTrue(d.byPolicy());
            Decision est = eval(rs, INTRA.withCtstate("ESTABLISHED"));
            assertEquals(Verdict.ACCEPT, est.verdict());
            assertEquals(1, est.rule().position());
        }
    }

    @Test
    void negatedCtstateMatchesNew() {
        String rs = "-P FORWARD ACCEPT\n-A FORWARD -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP\n";
        assertEquals(Verdict.DROP, eval(rs, INTRA).verdict());
        assertEquals(Verdict.ACCEPT, eval(rs, INTRA.withCtstate("ESTABLISHED")).verdict());
        assertTrue(eval(rs, INTRA.withCtstate("ESTABLISHED")).byPolicy());
    }

    @Test
    void negatedInterface() {
        String rs = "-P FORWARD ACCEPT\n-A FORWARD -i br-+ ! -o br-+ -j DROP\n";
        Decision out = eval(rs, OUTSIDE);
        assertEquals(Verdict.DROP, out.verdict());
        assertEquals("FORWARD -i br-+ ! -o br-+ -j DROP", out.rule().shortSpec());
        Decision in = eval(rs, INTRA);
        assertEquals(Verdict.ACCEPT, in.verdict());
        assertTrue(in.byPolicy());
        assertEquals("ACCEPT by policy of chain FORWARD (no rule dropped or rejected the packet)", in.describe());
    }

    @Test
    void physdevIsUncertainAndDoesNotDecide() {
        String rs = Fixtures.withDockerUser("-m physdev --physdev-is-bridged -j DROP");
        Decision d = eval(rs, INTRA);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertEquals(10, d.rule().position());
        assertEquals(1, d.uncertainRules().size());
        assertEquals("-A DOCKER-USER -m physdev --physdev-is-bridged -j DROP", d.uncertainRules().get(0).spec());
        assertFalse(d.certain());
        assertEquals("ACCEPT by rule 'FORWARD -i br-1a2b3c4d5e6f -o br-1a2b3c4d5e6f -j ACCEPT' (position 10 in chain "
                + "FORWARD); uncertain: rule 'DOCKER-USER -m physdev --physdev-is-bridged -j DROP' (position 1 in "
                + "chain DOCKER-USER) might also apply", d.describe());
        // a rule that fails on a decidable match is simply not matching, even with an unsupported module
        Decision other = eval(Fixtures.withDockerUser("-i eth9 -m physdev --physdev-is-bridged -j DROP"), INTRA);
        assertTrue(other.certain());
    }

    @Test
    void commentRuleMatchesAndIsNamedInEvidence() {
        String rs = Fixtures.withDockerUser("-i br-+ -o br-+ -m comment --comment \"block mail bridge\" -j DROP");
        Decision d = eval(rs, INTRA);
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("-A DOCKER-USER -i br-+ -o br-+ -m comment --comment \"block mail bridge\" -j DROP", d.rule().spec());
        assertTrue(d.certain());
    }

    @Test
    void gotoReturnsToTheCallersCallerNotToTheGotoRule() {
        String base = """
                -P FORWARD DROP
                -N OUTER
                -N CHK
                -A FORWARD -j OUTER
                -A FORWARD -j ACCEPT
                -A OUTER -p tcp %s CHK
                -A OUTER -j DROP
                -A CHK -p tcp -m tcp --dport 25 -j REJECT
                """;
        Decision viaGoto = eval(base.formatted("-g"), INTRA.withCtstate("NEW"));
        assertEquals(Verdict.REJECT, viaGoto.verdict()); // port 25 rejected in CHK either way
        ForwardPacket http = ForwardPacket.tcp(BR, BR, "172.18.0.2", "172.18.0.3", 80);
        Decision g = eval(base.formatted("-g"), http);
        assertEquals(Verdict.ACCEPT, g.verdict());
        assertEquals(List.of("FORWARD#1", "OUTER#1", "FORWARD#2"), g.trail());
        Decision j = eval(base.formatted("-j"), http);
        assertEquals(Verdict.DROP, j.verdict());
        assertEquals("OUTER", j.rule().chain());
        assertEquals(2, j.rule().position());
    }

    @Test
    void gotoFromBuiltinChainEndsAtPolicy() {
        String rs = "-P FORWARD DROP\n-N A\n-A FORWARD -g A\n-A FORWARD -j ACCEPT\n-A A -j RETURN\n";
        Decision d = eval(rs, INTRA);
        assertEquals(Verdict.DROP, d.verdict());
        assertTrue(d.byPolicy());
        assertEquals(List.of("FORWARD#1", "A#1", "FORWARD:policy DROP"), d.trail());
    }

    @Test
    void returnInBuiltinChainMeansPolicy() {
        Decision d = eval("-P FORWARD ACCEPT\n-A FORWARD -j RETURN\n-A FORWARD -j DROP\n", INTRA);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertTrue(d.byPolicy());
    }

    @Test
    void logContinuesAndCounterOnlyRulesContinue() {
        String rs = "-P FORWARD ACCEPT\n-A FORWARD -j LOG --log-prefix \"fwd \"\n-A FORWARD -o " + BR
                + "\n-A FORWARD -j DROP\n";
        Decision d = eval(rs, INTRA);
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals(List.of("FORWARD#1", "FORWARD#2", "FORWARD#3"), d.trail());
    }

    @Test
    void unknownTargetsAreUncertain() {
        Decision d = eval("-P FORWARD ACCEPT\n-A FORWARD -j NFQUEUE --queue-num 0\n-A FORWARD -j UNDECLARED\n", INTRA);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertEquals(2, d.uncertainRules().size());
    }

    @Test
    void jumpLoopIsCutAndReported() {
        String rs = """
                -P FORWARD ACCEPT
                -N L1
                -N L2
                -A FORWARD -j L1
                -A L1 -j L2
                -A L2 -j L1
                -A L2 -j DROP
                """;
        Decision d = eval(rs, INTRA);
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("-A L2 -j DROP", d.rule().spec());
        assertEquals(List.of("-A L2 -j L1"), d.uncertainRules().stream().map(IptablesRule::spec).toList());
    }

    @Test
    void deepJumpChainIsCutAtDepthLimit() {
        StringBuilder sb = new StringBuilder("-P FORWARD ACCEPT\n-A FORWARD -j C0\n");
        for (int i = 0; i < 40; i++) sb.append("-N C").append(i).append('\n');
        for (int i = 0; i < 39; i++) sb.append("-A C").append(i).append(" -j C").append(i + 1).append('\n');
        sb.append("-A C39 -j DROP\n");
        Decision d = eval(sb.toString(), INTRA);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertTrue(d.byPolicy());
        assertEquals(1, d.uncertainRules().size());
        // FORWARD plus 31 user chains are on the stack when the guard trips
        assertEquals("C30", d.uncertainRules().get(0).chain());
    }

    @Test
    void cidrMatching() {
        String tmpl = "-P FORWARD ACCEPT\n-A FORWARD %s -j DROP\n";
        ForwardPacket p = ForwardPacket.tcp(BR, BR, "172.18.0.2", "172.18.0.3", 25);
        assertEquals(Verdict.DROP, eval(tmpl.formatted("-s 0.0.0.0/0"), p).verdict());
        assertEquals(Verdict.DROP, eval(tmpl.formatted("-d 172.18.0.3"), p).verdict());
        assertEquals(Verdict.ACCEPT, eval(tmpl.formatted("-d 172.18.0.4"), p).verdict());
        assertEquals(Verdict.DROP, eval(tmpl.formatted("-s 172.16.0.0/12"), p).verdict());
        assertEquals(Verdict.ACCEPT, eval(tmpl.formatted("-s 172.32.0.0/12"), p).verdict());
        assertEquals(Verdict.DROP, eval(tmpl.formatted("-s 172.18.0.0/255.255.0.0"), p).verdict());
        assertEquals(Verdict.ACCEPT, eval(tmpl.formatted("! -s 172.18.0.0/16"), p).verdict());
        assertEquals(Verdict.DROP, eval(tmpl.formatted("! -d 10.0.0.0/8"), p).verdict());
        assertEquals(Verdict.DROP, eval(tmpl.formatted("-s 172.18.0.2/32"), p).verdict());
    }

    @Test
    void portRangesAndMultiport() {
        String range = "-P FORWARD ACCEPT\n-A FORWARD -p tcp -m tcp --dport 20:30 -j DROP\n";
        assertEquals(Verdict.DROP, eval(range, INTRA).verdict());
        assertEquals(Verdict.ACCEPT, eval(range, ForwardPacket.tcp(BR, BR, "172.18.0.2", "172.18.0.3", 31)).verdict());
        String multi = "-P FORWARD DROP\n-A FORWARD -p tcp -m multiport --dports 25,465,587 -j ACCEPT\n";
        assertEquals(Verdict.ACCEPT, eval(multi, ForwardPacket.tcp(BR, BR, "172.18.0.2", "172.18.0.3", 587)).verdict());
        assertEquals(Verdict.DROP, eval(multi, ForwardPacket.tcp(BR, BR, "172.18.0.2", "172.18.0.3", 993)).verdict());
    }

    @Test
    void unknownPacketFieldsMakeRulesUncertain() {
        String rs = "-P FORWARD ACCEPT\n-A FORWARD -o eth0 -j DROP\n";
        Decision d = eval(rs, ForwardPacket.tcp(BR, null, "172.18.0.2", "8.8.8.8", 53));
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertEquals(1, d.uncertainRules().size());
    }

    @Test
    void missingForwardPolicyDefaultsToAccept() {
        Decision d = eval("", INTRA);
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertTrue(d.byPolicy());
    }

    @Test
    void packetValidation() {
        assertThrows(IllegalArgumentException.class, () -> ForwardPacket.tcp(BR, BR, "172.18.0.256", "1.2.3.4", 1));
        assertThrows(IllegalArgumentException.class, () -> ForwardPacket.tcp(BR, BR, "1.2.3.4", "fe80::1", 1));
        assertThrows(IllegalArgumentException.class, () -> new ForwardPacket(BR, BR, null, null, "sctp", 1));
        assertEquals("NEW", new ForwardPacket(BR, BR, null, null, "tcp", 1, null).ctstate());
    }
}
