package dev.triage.it;

import dev.triage.fix.FixException;
import dev.triage.fix.FixHost;
import dev.triage.fix.NftRuleChange;
import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;
import dev.triage.host.firewall.nft.NftDecision;
import dev.triage.host.firewall.nft.NftPacket;
import dev.triage.host.firewall.nft.NftReader;
import dev.triage.host.firewall.nft.NftRuleset;
import dev.triage.host.firewall.nft.NftWalk;
import dev.triage.probe.ForwardRulesProbe;
import dev.triage.probe.NatRulesProbe;
import dev.triage.probe.ProbeContext;
import dev.triage.probe.ProbeParams;
import dev.triage.probe.ProbeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The nftables walk and the nft fix actions against a real kernel: each test loads a real ruleset
 * (OpenWrt fw4's default, an admin's own table) with {@code nft -f} into a network namespace of
 * its own, never the host's, reads it back with {@code nft -j list ruleset}, applies and undoes
 * the fix there, and compares {@code nft list ruleset} before and after.
 */
class NftNetnsIT {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private String ns;
    private HostSystem host;

    @TempDir
    Path dir;

    /** This machine's commands, run inside the test's network namespace. */
    static final class NetnsHost extends HostSystem {
        private final String ns;

        NetnsHost(String ns) {
            super(Path.of("/"));
            this.ns = ns;
        }

        @Override
        public CommandResult run(Duration timeout, List<String> argv) {
            List<String> inNs = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            inNs.addAll(argv);
            return super.run(timeout, inNs);
        }
    }

    @BeforeEach
    void namespace() {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools = HostSystem.local().which("nft").isPresent() && HostSystem.local().which("ip").isPresent();
        if (System.getenv("CI") == null) {
            assumeTrue(root && tools, "needs root, ip and nft");
        }
        ns = "triage-nft-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        check(HostSystem.local().run(LIMIT, "ip", "netns", "add", ns));
        host = new NetnsHost(ns);
        // fw4's default ruleset names eth0/eth1
        check(host.run(LIMIT, "ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth1"));
    }

    @AfterEach
    void removeNamespace() {
        if (ns != null) {
            HostSystem.local().run(LIMIT, "ip", "netns", "delete", ns);
        }
    }

    private void load(String fixture) throws Exception {
        Path src = Path.of("src/test/resources/nft", fixture + ".nft").toAbsolutePath();
        check(host.run(LIMIT, "nft", "-f", src.toString()));
    }

    private String listing() {
        return check(host.run(LIMIT, "nft", "list", "ruleset")).stdout();
    }

    private NftRuleset read() {
        NftReader.Result r = NftReader.read(host, LIMIT).orElseThrow();
        assertTrue(r.readable(), r.error());
        return r.ruleset();
    }

    private static CommandResult check(CommandResult r) {
        assertTrue(r.ok(), r.commandLine() + ": " + r.stderr());
        return r;
    }

    @Test
    void fw4RejectIsNamedThenAcceptedByTheFixAndUndoneExactly() throws Exception {
        load("fw4-default");
        NftPacket packet = NftPacket.tcp("br-4e4eb4db3fbd", "br-4e4eb4db3fbd", "172.18.0.3", "172.18.0.2", 6379);
        NftDecision before = new NftWalk(read(), Set.of()).forward(packet);
        assertEquals(NftDecision.Verdict.REJECT, before.verdict());
        assertEquals("handle_reject", before.chain());
        assertEquals("!fw4: Reject TCP traffic", before.comment());
        assertFalse(before.specific(), "fw4's catch-all reject is not offered for deletion");

        String listingBefore = listing();
        NftRuleChange accept = NftRuleChange.acceptBridge(before.family(), before.tableName(), before.baseChain(),
                "br-4e4eb4db3fbd", "br-4e4eb4db3fbd", false);
        FixHost fixHost = new FixHost(host, dir);
        assertTrue(accept.needed(fixHost));
        Map<String, String> undo = accept.apply(fixHost);
        assertFalse(accept.needed(fixHost), "a second run changes nothing");
        assertTrue(listing().contains("iifname \"br-4e4eb4db3fbd\" oifname \"br-4e4eb4db3fbd\" accept comment \"added by triage"),
                listing());

        NftDecision after = new NftWalk(read(), Set.of()).forward(packet);
        assertEquals(NftDecision.Verdict.ACCEPT, after.verdict(), after.describe());

        accept.undo(fixHost, undo);
        assertEquals(listingBefore, listing(), "undo restores nft list ruleset exactly");
        accept.undo(fixHost, undo); // again: nothing left to take back, nothing else touched
        assertEquals(listingBefore, listing());
    }

    @Test
    void aSpecificDropIsDeletedByHandleAndPutBackInPlace() throws Exception {
        load("user-table");
        NftPacket packet = NftPacket.tcp("br-4e4eb4db3fbd", "eth0", "172.18.0.2", "198.18.0.25", 465);
        NftDecision d = new NftWalk(read(), Set.of()).forward(packet);
        assertEquals(NftDecision.Verdict.DROP, d.verdict());
        assertTrue(d.specific());
        String listingBefore = listing();

        FixHost fixHost = new FixHost(host, dir);
        NftRuleChange stale = NftRuleChange.delete(d.family(), d.tableName(), d.chain(), d.handle(), "iifname \"br-*\" drop");
        assertThrows(FixException.class, () -> stale.apply(fixHost), "a rule that changed since the plan is not deleted");
        assertEquals(listingBefore, listing());

        NftRuleChange delete = NftRuleChange.delete(d.family(), d.tableName(), d.chain(), d.handle(), d.rule());
        Map<String, String> undo = delete.apply(fixHost);
        assertFalse(delete.needed(fixHost));
        assertEquals(NftDecision.Verdict.ACCEPT, new NftWalk(read(), Set.of()).forward(packet).verdict());

        delete.undo(fixHost, undo);
        assertEquals(listingBefore, listing(), "the rule is back at its place, with its comment");
        delete.undo(fixHost, undo);
        assertEquals(listingBefore, listing(), "a second undo changes nothing");
    }

    /** The scenarios' forward test, as it runs on an OpenWrt host: iptables shows nothing, fw4 rejects. */
    @Test
    void theForwardTestNamesFw4sRejectWhereIptablesShowsNothing() throws Exception {
        load("fw4-default");
        ProbeContext context = new ProbeContext(null, host, Instant.now().plusSeconds(10));
        ProbeResult<ForwardRulesProbe.Evidence> r = new ForwardRulesProbe().run(new ProbeParams(Map.of(
                "in", "br-4e4eb4db3fbd", "out", "pppoe-wan", "source", "172.18.0.2", "destination", "198.18.0.25",
                "protocol", "tcp", "port", "465")), context);
        assertEquals("blocked", r.outcome());
        ForwardRulesProbe.Evidence e = r.evidence();
        assertEquals("nftables", e.fixTarget().walk());
        assertEquals("inet", e.fixTarget().nftFamily());
        assertEquals("fw4", e.fixTarget().nftTable());
        assertEquals("forward", e.fixTarget().nftBaseChain());
        assertEquals("handle_reject", e.found().chain());
        assertEquals("rule", e.found().decidedBy());
        assertFalse(e.chains().ruleSpecific());
        assertTrue(e.found().decision().startsWith("rejected by inet fw4: forward -> handle_reject: \"meta l4proto tcp reject with tcp reset\""
                + " (!fw4: Reject TCP traffic)"), e.found().decision());

        ProbeResult<NatRulesProbe.Evidence> nat = new NatRulesProbe().run(new ProbeParams(Map.of(
                "source", "172.18.0.2", "out", "pppoe-wan", "destination", "198.18.0.25", "protocol", "tcp", "port", "465")), context);
        assertEquals("translated", nat.outcome(), nat.evidence().found().decision());
        assertTrue(nat.evidence().found().decision().contains("inet fw4: srcnat -> srcnat_wan"), nat.evidence().found().decision());
    }
}
