package dev.triage.host.firewall.nft;

import dev.triage.host.firewall.nft.NftDecision.Verdict;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk on real {@code nft -j list ruleset} output: each fixture under {@code nft/} was loaded
 * into a kernel in a network namespace and read back (see {@code capture.sh} there).
 */
class NftWalkTest {

    static NftRuleset load(String name) throws IOException {
        try (InputStream in = NftWalkTest.class.getResourceAsStream("/nft/" + name + ".json")) {
            return NftRuleset.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static NftDecision forward(String fixture, NftPacket p) throws IOException {
        return new NftWalk(load(fixture), Set.of()).forward(p);
    }

    @Test
    void fw4RejectsAComposeBridgeInNoZone() throws IOException {
        // incident 000 on OpenWrt: two containers on br-4e4eb4db3fbd, which is in no fw4 zone
        NftDecision d = forward("fw4-default", NftPacket.tcp("br-4e4eb4db3fbd", "br-4e4eb4db3fbd", "172.18.0.3", "172.18.0.2", 6379));
        assertEquals(Verdict.REJECT, d.verdict());
        assertEquals("inet fw4", d.table());
        assertEquals("handle_reject", d.chain());
        assertEquals(List.of("forward", "handle_reject"), d.path());
        assertEquals("meta l4proto tcp reject with tcp reset", d.rule());
        assertEquals("!fw4: Reject TCP traffic", d.comment());
        assertTrue(d.handle() != null && d.handle() > 0);
        assertEquals("rejected by inet fw4: forward -> handle_reject: \"meta l4proto tcp reject with tcp reset\""
                + " (!fw4: Reject TCP traffic) [handle " + d.handle() + "]", d.describe());
        assertNull(d.undecided());
    }

    @Test
    void fw4RejectsEgressFromAComposeBridgeAsTheWriteUpSaw() throws IOException {
        // incident 001: connect ECONNREFUSED <server>:465 (REJECT with tcp reset), towards the wan device
        NftDecision d = forward("fw4-default", NftPacket.tcp("br-4e4eb4db3fbd", "pppoe-wan", "172.18.0.2", "198.18.0.25", 465));
        assertEquals(Verdict.REJECT, d.verdict());
        assertEquals("handle_reject", d.chain());
    }

    @Test
    void fw4AcceptsTheLanZoneTowardsWan() throws IOException {
        NftDecision d = forward("fw4-default", NftPacket.tcp("br-lan", "pppoe-wan", "10.0.0.5", "198.18.0.25", 465));
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertTrue(d.passed().get(0).startsWith("inet fw4 mangle_forward"), d.passed().toString());
        assertTrue(d.passed().stream().anyMatch(s -> s.startsWith("inet fw4 forward: accept by rule")), d.passed().toString());
    }

    @Test
    void fw4UdpGetsThePortUnreachableReject() throws IOException {
        NftDecision d = forward("fw4-default", new NftPacket(false, "br-x", "br-x", "172.18.0.3", "172.18.0.2", "udp", 53));
        assertEquals(Verdict.REJECT, d.verdict());
        assertEquals("reject with icmpx type port-unreachable", d.rule());
    }

    @Test
    void fw4Ipv6TakesTheSameWalk() throws IOException {
        NftDecision d = forward("fw4-default", NftPacket.tcp("br-x", "pppoe-wan", "fd00::2", "2001:db8::25", 465));
        assertEquals(Verdict.REJECT, d.verdict());
    }

    @Test
    void aWildcardDropInTheAdminsOwnTableIsNamed() throws IOException {
        NftDecision d = forward("user-table", NftPacket.tcp("br-4e4eb4db3fbd", "eth0", "172.18.0.2", "198.18.0.25", 465));
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("inet mine", d.table());
        assertEquals("filter_forward", d.chain());
        assertEquals("no SMTPS from compose bridges", d.comment());
        assertEquals("iifname \"br-*\" tcp dport 465 counter drop", d.rule());
    }

    @Test
    void aNamedSetOfPrefixesIsLookedUp() throws IOException {
        NftDecision blocked = forward("user-table", NftPacket.tcp("docker0", "eth9", "172.17.0.2", "198.19.4.4", 587));
        assertEquals(Verdict.REJECT, blocked.verdict());
        assertEquals("blocked destinations", blocked.comment());
        NftDecision outside = forward("user-table", NftPacket.tcp("docker0", "eth9", "172.17.0.2", "172.30.0.1", 587));
        assertEquals(Verdict.ACCEPT, outside.verdict());
    }

    @Test
    void anAcceptEndsOnlyItsBaseChainAndALaterDropStillBlocks() throws IOException {
        NftDecision d = forward("accept-then-drop", NftPacket.tcp("br-mail", "eth0", "172.18.0.2", "198.18.0.25", 465));
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("ip late", d.table());
        assertEquals("late drop", d.comment());
        assertEquals(List.of("inet early filter_forward: accept by rule " + earlyHandle()), d.passed());
    }

    @Test
    void whatTheWalkCannotDecideIsNamedNotGuessed() throws IOException {
        // port 80 passes "late"; the mark rule of a later table cannot be decided from here
        NftDecision d = forward("accept-then-drop", NftPacket.tcp("br-mail", "eth0", "172.18.0.2", "198.18.0.25", 80));
        assertEquals(Verdict.UNKNOWN, d.verdict());
        assertEquals("meta mark 1", d.undecided().replace("0x00000001", "1"));
        assertEquals("inet marks", d.table());
        assertTrue(d.describe().startsWith("nftables: cannot decide \"meta mark"), d.describe());
    }

    @Test
    void docker29BackendAcceptsIccAndOutgoingAndMasquerades() throws IOException {
        NftRuleset rs = load("docker29-bridges");
        NftWalk walk = new NftWalk(rs, Set.of());
        NftDecision icc = walk.forward(NftPacket.tcp("bridge1", "bridge1", "192.0.2.3", "192.0.2.2", 6379));
        assertEquals(Verdict.ACCEPT, icc.verdict());
        assertEquals(List.of("ip docker-bridges filter-FORWARD: accept by rule " + ruleHandle(rs, "filter-forward-in__bridge1", "ICC")),
                icc.passed());
        NftDecision out = walk.forward(NftPacket.tcp("bridge1", "eth0", "192.0.2.2", "198.18.0.25", 465));
        assertEquals(Verdict.ACCEPT, out.verdict());
        NftDecision nat = walk.sourceNat(NftPacket.tcp("bridge1", "eth0", "192.0.2.2", "198.18.0.25", 465));
        assertEquals(Verdict.TRANSLATED, nat.verdict());
        assertEquals(List.of("nat-POSTROUTING", "nat-postrouting-out__bridge1"), nat.path());
        assertEquals("MASQUERADE", nat.comment());
    }

    @Test
    void docker29BackendDropsAnUnpublishedPortFromOutside() throws IOException {
        NftDecision d = forward("docker29-bridges", NftPacket.tcp("eth0", "bridge1", "198.18.0.9", "192.0.2.2", 22));
        assertEquals(Verdict.DROP, d.verdict());
        assertEquals("UNPUBLISHED PORT DROP", d.comment());
        assertEquals(List.of("filter-FORWARD", "filter-forward-in__bridge1"), d.path());
    }

    @Test
    void fw4SourceNatOnlyTowardsWan() throws IOException {
        NftWalk walk = new NftWalk(load("fw4-default"), Set.of());
        assertEquals(Verdict.TRANSLATED, walk.sourceNat(NftPacket.tcp("br-lan", "pppoe-wan", "10.0.0.5", "198.18.0.25", 465)).verdict());
        NftDecision none = walk.sourceNat(NftPacket.tcp("br-x", "eth1", "172.18.0.2", "198.18.0.25", 465));
        assertEquals(Verdict.NOT_TRANSLATED, none.verdict());
        assertEquals("nftables: no source NAT for the packet", none.describe());
    }

    @Test
    void skippedTablesAreNotWalked() throws IOException {
        NftDecision d = new NftWalk(load("fw4-default"), Set.of("inet fw4"))
                .forward(NftPacket.tcp("br-x", "br-x", "172.18.0.3", "172.18.0.2", 6379));
        assertEquals(Verdict.ACCEPT, d.verdict());
        assertEquals("nftables: no table stops the packet", d.describe());
    }

    @Test
    void firewalldDockerZoneAcceptsTheBridge() throws IOException {
        // captured from Debian's firewalld 1.3 (capture-firewalld.sh): the bridge in Docker's "docker" zone (target ACCEPT)
        NftDecision icc = forward("firewalld-docker-zone", NftPacket.tcp("br-4e4eb4db3fbd", "br-4e4eb4db3fbd", "172.18.0.3", "172.18.0.2", 6379));
        assertEquals(Verdict.ACCEPT, icc.verdict(), icc.describe());
        NftDecision out = forward("firewalld-docker-zone", NftPacket.tcp("br-4e4eb4db3fbd", "eth0", "172.18.0.2", "198.18.0.25", 465));
        assertEquals(Verdict.ACCEPT, out.verdict(), out.describe());
    }

    @Test
    void firewalldBlockZoneRejectsEgressAndIsNamed() throws IOException {
        // the same bridge moved into zone "block": forwarding out of the zone is rejected
        NftDecision d = forward("firewalld-block-zone", NftPacket.tcp("br-4e4eb4db3fbd", "eth0", "172.18.0.2", "198.18.0.25", 465));
        assertEquals(Verdict.REJECT, d.verdict(), d.describe());
        assertEquals("inet firewalld", d.table());
        assertEquals("filter_FORWARD", d.baseChain());
        assertEquals("filter_FWD_block", d.chain());
        assertEquals(List.of("filter_FORWARD", "filter_FORWARD_ZONES", "filter_FWD_block"), d.path());
        assertEquals("reject with icmpx type admin-prohibited", d.rule());
        // within the zone, firewalld 1.x forwards by default ("forward: yes")
        assertEquals(Verdict.ACCEPT, forward("firewalld-block-zone",
                NftPacket.tcp("br-4e4eb4db3fbd", "br-4e4eb4db3fbd", "172.18.0.3", "172.18.0.2", 6379)).verdict());
    }

    @Test
    void firewalldZoneWithoutForwardingRejectsTrafficBetweenContainers() throws IOException {
        NftDecision d = forward("firewalld-block-noforward", NftPacket.tcp("br-4e4eb4db3fbd", "br-4e4eb4db3fbd", "172.18.0.3", "172.18.0.2", 6379));
        assertEquals(Verdict.REJECT, d.verdict(), d.describe());
        assertEquals("filter_FWD_block", d.chain());
        assertTrue(d.describe().startsWith("rejected by inet firewalld: filter_FORWARD -> filter_FORWARD_ZONES -> filter_FWD_block:"),
                d.describe());
    }

    @Test
    void notJsonIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.parse("table inet fw4 {"));
        assertThrows(IllegalArgumentException.class, () -> NftRuleset.parse("{\"x\": 1}"));
        assertEquals(List.of(), NftRuleset.parse("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}]}").tables());
    }

    @Test
    void addressesAreLiteralsOnly() {
        assertThrows(IllegalArgumentException.class, () -> NftPacket.tcp("a", "b", "300.1.1.1", "198.18.0.1", 1));
        assertThrows(IllegalArgumentException.class, () -> NftPacket.tcp("a", "b", "mail.example", "198.18.0.1", 1));
        assertNull(NftPacket.address("localhost"));
    }

    private static long earlyHandle() throws IOException {
        return ruleHandle(load("accept-then-drop"), "filter_forward", "early accept");
    }

    private static long ruleHandle(NftRuleset rs, String chain, String comment) {
        for (String t : rs.tables()) {
            String[] ft = t.split(" ");
            for (NftRuleset.Rule r : rs.rules(new NftRuleset.ChainRef(ft[0], ft[1], chain))) {
                if (comment.equals(r.comment())) {
                    return r.handle();
                }
            }
        }
        throw new AssertionError("no rule " + comment + " in " + chain);
    }
}
