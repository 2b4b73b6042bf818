package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incidents 000 and 001 on an OpenWrt-like host: OpenWrt's own fw4 ruleset (the one fw4's test
 * suite expects) loaded with {@code nft -f} in the Docker 28 test bed's network namespace, next to
 * a real engine, never in the host's. {@code iptables -S} shows nothing that blocks; fw4's forward
 * chain rejects every bridge that is in no zone. Both bridge scenarios must name fw4's rule, and
 * the egress fix must heal it and be undone to an identical {@code nft list ruleset}.
 */
class Fw4Docker28IT extends DockerTest {
    private static final Path FW4 = Path.of("src/test/resources/nft/fw4-default.nft").toAbsolutePath();
    private OutsideWorld world;

    @Override
    Engine engine() {
        return docker28OrSkip();
    }

    @BeforeEach
    void loadFw4() throws Exception {
        world = new OutsideWorld(16 + new java.util.Random().nextInt(200), engine()).withTlsServer(stateDir);
        inNetns("nft", "-f", FW4.toString()).orFail("loading fw4's ruleset in the bed's namespace");
    }

    @AfterEach
    void unloadFw4() {
        inNetns("nft", "delete", "table", "inet", "fw4");
        if (world != null) {
            world.close();
        }
    }

    private String nftRuleset() {
        // -s: without counters, which Docker's own rules advance with every packet of the test
        return inNetns("nft", "-s", "list", "ruleset").orFail("nft -s list ruleset").out();
    }

    @Test
    void intercontainerNamesFw4sRejectForABridgeInNoZone() {
        Sh.Result r = triage("diagnose", "bridge-intercontainer", "--json");
        JsonNode doc = json(r);
        assertEquals(1, r.exit(), r.err());
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("refused", step(doc, "bridge").path("outcome").asText(), "fw4 rejects with a tcp reset: no hang");
        JsonNode forward = step(doc, "forward").path("evidence");
        assertEquals("nftables", forward.path("walk").asText());
        assertEquals("fw4", forward.path("nftTable").asText());
        assertEquals("handle_reject", forward.path("chain").asText());
        assertTrue(forward.path("decision").asText().startsWith("rejected by inet fw4: forward -> handle_reject:"
                + " \"meta l4proto tcp reject with tcp reset\" (!fw4: Reject TCP traffic)"), forward.toString());
        assertTrue(doc.path("verdict").path("explanation").asText().contains("handle_reject"));
        assertTrue(step(doc, "firewall").path("evidence").path("manager").asText().equals("openwrt-fw4"),
                step(doc, "firewall").toString());
    }

    @Test
    void egressIsForwardBlockedHealedVerifiedAndUndoneExactly() {
        String net = unique("fw4");
        docker("network", "create", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        String before = nftRuleset();

        Sh.Result r = triage("diagnose", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--json");
        JsonNode doc = json(r);
        assertEquals(1, r.exit(), r.err());
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("refused", step(doc, "container").path("outcome").asText(), "the write-up's ECONNREFUSED");
        JsonNode forward = step(doc, "forward").path("evidence");
        assertEquals("nftables", forward.path("walk").asText());
        assertEquals("handle_reject", forward.path("chain").asText());
        assertEquals("forward", forward.path("nftBaseChain").asText());

        Sh.Result fixed = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net,
                "--yes", "--json");
        JsonNode fix = json(fixed).path("fix");
        assertEquals(0, fixed.exit(), fixed.err());
        assertEquals("accept-bridge-egress-nft", fix.path("plan").asText(), fix.toString());
        assertTrue(fix.path("applied").asBoolean(), fix.toString());
        assertTrue(fix.path("verified").asBoolean(), fix.toString());
        assertEquals("connected", fix.path("verification").path("outcome").asText());
        String healed = nftRuleset();
        assertTrue(healed.contains("accept comment \"added by triage: accept from " + bridgeOf(net)), healed);

        Sh.Result again = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net,
                "--yes", "--json");
        assertEquals(0, again.exit(), again.err());
        assertFalse(json(again).path("fix").path("applied").asBoolean(), "healthy now: nothing to change");
        assertEquals(healed, nftRuleset());

        Sh.Result undone = triage("undo", fix.path("id").asText());
        assertEquals(0, undone.exit(), undone.err());
        assertEquals(before, nftRuleset(), "undo restores nft list ruleset exactly");
    }
}
