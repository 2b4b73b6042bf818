package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * firewalld next to a live engine: the Docker 28 test bed runs Debian's firewalld with a D-Bus
 * system bus of its own, started before dockerd, so Docker registers its "docker" zone and puts
 * every bridge in it. A bridge moved into zone "block" (without intra-zone forwarding for the
 * container-to-container case) is rejected by firewalld's own table; both bridge scenarios must
 * name it. An admin's own table with a drop for the bridge, next to the same engine, must be
 * named the same way. The zone fix (firewall-cmd) must heal both scenarios, be verified, and be
 * undone to the same zone membership (runtime and permanent), zone files and ruleset.
 * TRIAGE_REQUIRE_FIREWALLD=1 (set by .ci/run) makes a bed without firewalld a failure.
 */
class FirewalldDocker28IT extends DockerTest {
    private OutsideWorld world;
    private String firewallCmd;

    @Override
    Engine engine() {
        return docker28OrSkip();
    }

    @BeforeEach
    void needFirewalld() throws Exception {
        String bin = System.getenv("TRIAGE_DOCKER28_FIREWALLD_BIN");
        // the bed starts firewalld only with TRIAGE_D28_FIREWALLD=1: the other Docker 28 tests expect none
        if (bin == null && "1".equals(System.getenv("TRIAGE_REQUIRE_FIREWALLD"))) {
            org.junit.jupiter.api.Assertions.fail("TRIAGE_REQUIRE_FIREWALLD=1 but the Docker 28 test bed runs without firewalld"
                    + " (TRIAGE_D28_FIREWALLD=1 .ci/docker28.sh start, then eval its env)");
        }
        Assumptions.assumeTrue(bin != null, "the Docker 28 test bed runs without firewalld (TRIAGE_D28_FIREWALLD=1)");
        firewallCmd = bin + "/firewall-cmd";
        world = new OutsideWorld(16 + new java.util.Random().nextInt(200), engine()).withTlsServer(stateDir);
    }

    @AfterEach
    void closeWorld() {
        if (world != null) {
            world.close();
        }
    }

    /** triage finds the bed's firewall-cmd on its PATH, as on a host where firewalld runs. */
    @Override
    java.util.Map<String, String> env() {
        java.util.Map<String, String> env = super.env();
        env.put("PATH", System.getenv("TRIAGE_DOCKER28_FIREWALLD_BIN") + ":" + System.getenv("PATH"));
        return env;
    }

    private Sh.Result firewall(String... args) {
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(firewallCmd));
        argv.addAll(java.util.List.of(args));
        return Sh.run(argv);
    }

    /** A network of this test whose bridge firewalld has in zone block (runtime), Docker having put it in docker. */
    private String networkInBlockZone(boolean noIntraZoneForward) {
        return networkInBlockZone(noIntraZoneForward, false);
    }

    /** As above; {@code permanent}: the permanent configuration binds the bridge to block too (block.xml). */
    private String networkInBlockZone(boolean noIntraZoneForward, boolean permanent) {
        String net = unique("fwd");
        docker("network", "create", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        String br = bridgeOf(net);
        assertEquals("docker", firewall("--get-zone-of-interface=" + br).out().strip(), "Docker registers its bridges with firewalld");
        firewall("--zone=block", "--change-interface=" + br).orFail("move the bridge to zone block");
        onCleanup(() -> firewall("--zone=docker", "--change-interface=" + br));
        if (permanent) {
            firewall("--permanent", "--zone=block", "--change-interface=" + br).orFail("bind the bridge to block permanently");
            onCleanup(() -> firewall("--permanent", "--zone=block", "--remove-interface=" + br));
        }
        if (noIntraZoneForward) {
            firewall("--zone=block", "--remove-forward").orFail("intra-zone forwarding off");
            onCleanup(() -> firewall("--zone=block", "--add-forward"));
        }
        return net;
    }

    /** Everything the zone fix may touch, to compare before and after undo. */
    private record FirewallState(String runtimeZone, String permanentZone, String allZones, java.util.Map<String, String> zoneFiles,
                                 String ruleset) { }

    private FirewallState firewallState(String br) {
        java.util.Map<String, String> files = new java.util.TreeMap<>();
        // the bed's per-run /etc/firewalld, seen from here
        java.nio.file.Path zones = java.nio.file.Path.of(System.getenv("TRIAGE_DOCKER28_FIREWALLD_BIN")).getParent()
                .resolve("firewalld-etc/zones");
        try (var list = java.nio.file.Files.list(zones)) {
            // firewalld keeps its own copy of a file's previous version as ZONE.xml.old: not a zone, not compared
            for (java.nio.file.Path f : list.filter(f -> f.getFileName().toString().endsWith(".xml")).sorted().toList()) {
                files.put(f.getFileName().toString(), java.nio.file.Files.readString(f));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + zones + ": " + e.getMessage());
        }
        return new FirewallState(zoneOf(false, br), zoneOf(true, br),
                firewall("--permanent", "--list-all-zones").orFail("list-all-zones").out(), files,
                // -s: without counters, which Docker's rules and firewalld's advance with every packet
                inNetns("nft", "-s", "list", "ruleset").orFail("nft -s list ruleset").out());
    }

    /** The zone firewall-cmd names, or its "no zone" (which it prints on stderr for --permanent). */
    private String zoneOf(boolean permanent, String br) {
        Sh.Result r = permanent ? firewall("--permanent", "--get-zone-of-interface=" + br) : firewall("--get-zone-of-interface=" + br);
        return (r.out() + r.err()).strip();
    }

    /** {@code fix SCENARIO --yes}: the zone fix is the one applied, verified; undone to {@code before} exactly. */
    private void fixHealsAndUndoRestores(String net, String expectVerified, boolean permanentToo, String... diagnose) {
        String br = bridgeOf(net);
        FirewallState before = firewallState(br);
        assertEquals("block", before.runtimeZone());

        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fix"));
        args.addAll(java.util.List.of(diagnose));
        args.addAll(java.util.List.of("--yes", "--json"));
        Sh.Result fixed = triage(args.toArray(String[]::new));
        assertEquals(0, fixed.exit(), fixed.err() + fixed.out());
        JsonNode fix = json(fixed).path("fix");
        assertEquals("firewalld-docker-zone", fix.path("plan").asText(), fix.toString());
        assertTrue(fix.path("applied").asBoolean(), fix.toString());
        assertTrue(fix.path("verified").asBoolean(), fix.toString());
        assertEquals(expectVerified, fix.path("verification").path("outcome").asText(), fix.toString());
        FirewallState healed = firewallState(br);
        assertEquals("docker", healed.runtimeZone(), "back in Docker's zone");
        assertEquals(permanentToo ? "docker" : "no zone", healed.permanentZone(), "the permanent binding");
        if (!permanentToo) {
            assertEquals(before.zoneFiles(), healed.zoneFiles(), "no permanent binding: no zone file written");
        }

        Sh.Result again = triage(args.toArray(String[]::new));
        assertEquals(0, again.exit(), again.err() + again.out());
        assertFalse(json(again).path("fix").path("applied").asBoolean(), "healthy now: nothing to change");

        Sh.Result undone = triage("undo", fix.path("id").asText());
        assertEquals(0, undone.exit(), undone.err() + undone.out());
        FirewallState after = firewallState(br);
        assertEquals(before.runtimeZone(), after.runtimeZone());
        assertEquals(before.permanentZone(), after.permanentZone());
        assertEquals(before.allZones(), after.allZones(), "firewall-cmd --permanent --list-all-zones");
        assertEquals(before.zoneFiles(), after.zoneFiles(), "the zone XML files, byte for byte");
        assertEquals(before.ruleset(), after.ruleset(), "nft list ruleset");
    }

    @Test
    void egressZoneFixHealsVerifiesAndUndoRestoresTheZoneExactly() {
        String net = networkInBlockZone(false);
        fixHealsAndUndoRestores(net, "connected", false, "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net);
    }

    @Test
    void intercontainerZoneFixMovesThePermanentBindingTooAndUndoRestoresIt() {
        String net = networkInBlockZone(true, true);
        fixHealsAndUndoRestores(net, "answered", true, "bridge-intercontainer", "--set", "network=" + net);
    }

    private static void assertNamed(JsonNode doc, String table, String decisionStart) {
        JsonNode forward = step(doc, "forward").path("evidence");
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), doc.toString());
        assertEquals("nftables", forward.path("walk").asText(), forward.toString());
        assertEquals(table, forward.path("nftTable").asText(), forward.toString());
        assertTrue(forward.path("decision").asText().startsWith(decisionStart), forward.toString());
        assertTrue(forward.path("nftHandle").asLong() > 0, "the rule is named by its handle: " + forward);
        assertEquals("firewalld", step(doc, "firewall").path("evidence").path("manager").asText(), step(doc, "firewall").toString());
    }

    @Test
    void intercontainerNamesFirewalldsBlockZone() {
        String net = networkInBlockZone(true);
        Sh.Result r = triage("diagnose", "bridge-intercontainer", "--set", "network=" + net, "--json");
        assertEquals(1, r.exit(), r.err());
        JsonNode doc = json(r);
        assertNamed(doc, "firewalld", "rejected by inet firewalld: filter_FORWARD -> ");
        JsonNode forward = step(doc, "forward").path("evidence");
        assertEquals("filter_FWD_block_to_block", forward.path("chain").asText(), forward.toString());
        assertTrue(forward.path("decision").asText().endsWith(": \"reject with icmpx type admin-prohibited\" [handle "
                + forward.path("nftHandle").asLong() + "]"), forward.toString());
    }

    @Test
    void egressNamesFirewalldsBlockZone() {
        String net = networkInBlockZone(false);
        Sh.Result r = triage("diagnose", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--json");
        assertEquals(1, r.exit(), r.err());
        JsonNode doc = json(r);
        assertNamed(doc, "firewalld", "rejected by inet firewalld: filter_FORWARD -> ");
        assertTrue(step(doc, "forward").path("evidence").path("chain").asText().startsWith("filter_FWD_block"),
                step(doc, "forward").toString());
    }

    /** {@code table inet mine}: an admin's own drop for the bridge, before firewalld's table on the forward hook. */
    private void loadOwnTable(String br) {
        String rules = "table inet mine {\n chain forward {\n  type filter hook forward priority filter; policy accept;\n"
                + "  iifname \"" + br + "\" drop comment \"my own block\"\n }\n}\n";
        Sh.Result r = Sh.run(engine().inNetns("sh", "-c", "printf '%s' \"$1\" | nft -f -", "sh", rules));
        r.orFail("load table inet mine");
        onCleanup(() -> inNetns("nft", "delete", "table", "inet", "mine"));
    }

    @Test
    void anAdminsOwnTableIsNamedInBothScenarios() {
        String net = unique("mine");
        docker("network", "create", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        loadOwnTable(bridgeOf(net));

        Sh.Result ic = triage("diagnose", "bridge-intercontainer", "--set", "network=" + net, "--json");
        assertEquals(1, ic.exit(), ic.err());
        assertNamed(json(ic), "mine", "dropped by inet mine: forward: ");
        assertTrue(step(json(ic), "forward").path("evidence").path("decision").asText().contains("(my own block)"), ic.out());

        Sh.Result eg = triage("diagnose", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--json");
        assertEquals(1, eg.exit(), eg.err());
        assertNamed(json(eg), "mine", "dropped by inet mine: forward: ");
    }
}
