package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bridge-egress end to end against a pretend outside server in a network namespace of the test's own. */
class BridgeEgressIT extends DockerTest {
    private OutsideWorld world;

    @BeforeEach
    void outside() throws Exception {
        // a /30 of its own in 198.18.0.0/15 per test: a leftover of a crashed run cannot collide
        world = new OutsideWorld(16 + new java.util.Random().nextInt(200), engine()).withTlsServer(stateDir);
    }

    @AfterEach
    void noOutside() {
        if (world != null) {
            world.close();
        }
    }

    OutsideWorld world() {
        return world;
    }

    private Sh.Result egress(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("diagnose", "bridge-egress", "--set", "target=" + world.target(), "--json"));
        args.addAll(List.of(extra));
        return triage(args.toArray(String[]::new));
    }

    @Test
    void healthyWithTheTlsHandshakeReported() {
        Sh.Result r = egress();
        JsonNode doc = json(r);
        assertEquals(0, r.exit(), r.err());
        assertEquals("healthy", doc.path("verdict").path("id").asText());
        JsonNode up = step(doc, "upstream").path("evidence");
        assertTrue(up.path("tlsOk").asBoolean(), up.toString());
        assertEquals("CN=smtp.test", up.path("peerSubject").asText());
        assertEquals("connected", step(doc, "container").path("outcome").asText());
        assertEquals(0, doc.path("warnings").size(), "a working TLS port carries no warning: " + doc.path("warnings"));
        assertTrue(doc.path("verdict").path("explanation").asText().contains("handshake works"), doc.path("verdict").toString());
        assertFalse(doc.path("verdict").path("explanation").asText().contains("true"), "no raw true/false in the text");
    }

    @Test
    void closedPortIsUpstreamUnreachable() {
        Sh.Result r = triage("diagnose", "bridge-egress", "--set", "target=" + world.serverAddress + ":466", "--json");
        assertEquals(1, r.exit(), r.err());
        assertEquals("upstream-unreachable", json(r).path("verdict").path("id").asText());
        assertEquals("refused", step(json(r), "upstream").path("outcome").asText());
    }

    @Test
    void masqueradeDisabledIsFixedVerifiedIdempotentAndUndone() {
        String net = unique("nomasq");
        docker("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        String before = natS();

        Sh.Result r = egress("--set", "network=" + net);
        JsonNode doc = json(r);
        assertEquals("masquerade-disabled", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("timeout", step(doc, "container").path("outcome").asText());
        assertEquals("connected", step(doc, "host-mode").path("outcome").asText());
        assertEquals(world.hostSide, step(doc, "route").path("evidence").path("device").asText());
        assertEquals("missing", step(doc, "nat").path("outcome").asText());

        Sh.Result fixed = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--yes", "--json");
        JsonNode fix = json(fixed).path("fix");
        assertEquals(0, fixed.exit(), fixed.err());
        assertEquals("add-masquerade", fix.path("plan").asText());
        assertTrue(fix.path("verified").asBoolean());
        String subnet = step(doc, "container").path("evidence").path("subnet").asText();
        assertTrue(natS().contains("-A POSTROUTING -s " + subnet + " -o " + world.hostSide + " -j MASQUERADE"), natS());

        String healed = natS();
        Sh.Result again = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--yes", "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals("healthy", json(again).path("verdict").path("id").asText(), "a second fix finds nothing to do");
        assertEquals(healed, natS(), "and stacks nothing");

        assertEquals(0, triage("undo", fix.path("id").asText()).exit());
        assertEquals(before, natS());
    }

    /** The durable masquerade fix goes into a compose override, keyed by the network's compose name. */
    @Test
    void durableMasqueradeFixIsAComposeOverride() throws Exception {
        String net = unique("mail");
        docker("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false",
                "--label", "com.docker.compose.project=mailstack", "--label", "com.docker.compose.network=mail", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        java.nio.file.Path compose = stateDir.resolve("docker-compose.yml");
        java.nio.file.Files.writeString(compose, "services:\n  app:\n    image: x\n    networks: [mail]\nnetworks:\n  mail: {}\n");
        Sh.Result r = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net,
                "--set", "compose-file=" + compose, "--choose", "compose-masquerade-option", "--yes", "--json");
        JsonNode fix = json(r).path("fix");
        assertTrue(fix.path("applied").asBoolean(), r.err());
        assertFalse(fix.path("verified").asBoolean(), "compose must recreate the network; triage does not");
        java.nio.file.Path override = stateDir.resolve("docker-compose.override.yml");
        assertTrue(java.nio.file.Files.readString(override).contains("com.docker.network.bridge.enable_ip_masquerade: \"true\""));
        assertEquals(0, triage("undo", fix.path("id").asText()).exit());
        assertFalse(java.nio.file.Files.exists(override));
    }

    /**
     * The durable fix on a plain iptables host with iptables-persistent: a fixed bridge name in a
     * compose override and the accepts in /etc/iptables/rules.v4; undo restores both byte for byte.
     */
    @Test
    void durableForwardFixForIptablesPersistentAndItsUndo() throws Exception {
        java.nio.file.Path rules = java.nio.file.Path.of("/etc/iptables/rules.v4");
        org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(rules), "this host keeps its own rules.v4");
        java.nio.file.Files.createDirectories(rules.getParent());
        byte[] before = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n".getBytes();
        java.nio.file.Files.write(rules, before);
        onCleanup(() -> {
            try {
                java.nio.file.Files.deleteIfExists(rules);
                java.nio.file.Files.deleteIfExists(rules.getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String net = unique("mail");
        docker("network", "create", "--label", "com.docker.compose.project=mailstack",
                "--label", "com.docker.compose.network=mail", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        faultRule("-i", bridgeOf(net), "-j", "REJECT");
        java.nio.file.Path compose = stateDir.resolve("docker-compose.yml");
        java.nio.file.Files.writeString(compose, "services:\n  app:\n    image: x\n    networks: [mail]\nnetworks:\n  mail: {}\n");

        Sh.Result r = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net,
                "--set", "compose-file=" + compose, "--choose", "durable-iptables-persistent", "--yes", "--json");
        if (!engine().isHost() && System.getenv("TRIAGE_DOCKER28_FIREWALLD_BIN") != null) {
            firewalldIsInChargeNotIptablesPersistent(r, rules, before, compose);
        }
        JsonNode fix = json(r).path("fix");
        assertTrue(fix.path("applied").asBoolean(), r.err());
        String saved = java.nio.file.Files.readString(rules);
        assertTrue(saved.contains(":DOCKER-USER - [0:0]\n-A DOCKER-USER -i docker-mail -o " + world.hostSide
                + " -p tcp --dport 465 -j ACCEPT\n"), saved);
        assertTrue(java.nio.file.Files.readString(stateDir.resolve("docker-compose.override.yml"))
                .contains("com.docker.network.bridge.name: \"docker-mail\""));
        assertEquals(0, triage("undo", fix.path("id").asText()).exit());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, java.nio.file.Files.readAllBytes(rules));
        assertFalse(java.nio.file.Files.exists(stateDir.resolve("docker-compose.override.yml")));
    }

    /**
     * The bed runs firewalld: its own table is loaded again on every reload, so rules.v4 is not what
     * keeps the accept there. triage must refuse the iptables-persistent fix, say why, offer
     * firewalld's, and change nothing; the premise of a plain iptables host does not hold.
     */
    private void firewalldIsInChargeNotIptablesPersistent(Sh.Result r, java.nio.file.Path rules, byte[] before,
                                                          java.nio.file.Path compose) throws Exception {
        JsonNode doc = json(r);
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("firewalld", step(doc, "firewall").path("evidence").path("manager").asText(), step(doc, "firewall").toString());
        JsonNode persistent = null;
        JsonNode firewalld = null;
        for (JsonNode f : doc.path("fixes")) {
            if (f.path("id").asText().equals("durable-iptables-persistent")) {
                persistent = f;
            } else if (f.path("id").asText().equals("durable-firewalld")) {
                firewalld = f;
            }
        }
        assertTrue(persistent != null && !persistent.path("available").asBoolean(), doc.path("fixes").toString());
        assertTrue(persistent.path("unavailable").asText().contains("firewalld is in charge"), persistent.toString());
        assertTrue(firewalld != null && firewalld.path("available").asBoolean(), doc.path("fixes").toString());
        assertTrue(r.err().contains("'durable-iptables-persistent' is not available"), r.err());
        assertFalse(json(r).path("fix").path("applied").asBoolean(), r.out());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, java.nio.file.Files.readAllBytes(rules), "nothing written");
        assertFalse(java.nio.file.Files.exists(compose.resolveSibling("docker-compose.override.yml")), "no override");
        org.junit.jupiter.api.Assumptions.abort("firewalld is in charge in this bed, not plain iptables: iptables-persistent's"
                + " fix is rightly refused (checked above) and durable-firewalld is offered instead");
    }

    @Test
    void dockersNatRuleMissingIsNatMissing() {
        String net = network();
        String bridge = bridgeOf(net);
        String subnet = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", net).orFail("inspect").out().strip();
        List<String> dockerMasq = List.of("-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE");
        inNetns(BridgeScenarioIT.concat(List.of("iptables", "-t", "nat", "-D", "POSTROUTING"), dockerMasq)).orFail("remove docker's nat");
        onCleanup(() -> inNetns(BridgeScenarioIT.concat(List.of("iptables", "-t", "nat", "-A", "POSTROUTING"), dockerMasq)));
        Sh.Result r = egress("--set", "network=" + net);
        assertEquals("nat-missing", json(r).path("verdict").path("id").asText(), r.err());
        assertEquals("masquerade-on", step(json(r), "network-options").path("outcome").asText());
    }

    @Test
    void rejectForTheBridgeIsNamedAndFixedByAnAcceptBeforeIt() {
        String net = network();
        String bridge = bridgeOf(net);
        faultRule("-i", bridge, "-j", "REJECT");
        String faulty = iptablesS();
        Sh.Result r = egress("--set", "network=" + net);
        JsonNode doc = json(r);
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("refused", step(doc, "container").path("outcome").asText(), "the write-up's ECONNREFUSED");
        assertEquals("DOCKER-USER", step(doc, "forward").path("evidence").path("chain").asText());

        Sh.Result fixed = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--yes", "--json");
        assertEquals(0, fixed.exit(), fixed.err());
        assertEquals("accept-bridge-egress", json(fixed).path("fix").path("plan").asText());
        assertTrue(json(fixed).path("fix").path("verified").asBoolean());
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals(faulty, iptablesS());
    }

    /** The write-up's case: no FORWARD accept and masquerading off, at once; one fix does both. */
    @Test
    void bothFaultsAtOnceGetTheWriteUpsRulesInOneFix() {
        String net = unique("both");
        docker("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        faultRule("-i", bridgeOf(net), "-j", "REJECT");
        String filter = iptablesS();
        String nat = natS();
        Sh.Result fixed = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--yes", "--json");
        JsonNode doc = json(fixed);
        assertEquals("forward-blocked-no-nat", doc.path("verdict").path("id").asText(), fixed.err());
        assertEquals("accept-and-masquerade", doc.path("fix").path("plan").asText());
        assertTrue(doc.path("fix").path("verified").asBoolean(), fixed.err());
        assertEquals(3, doc.path("fix").path("changes").asInt());
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals(filter, iptablesS());
        assertEquals(nat, natS());
    }

    /** On a throw-away network only a rule that covers any bridge can be fixed: the next network gets another name. */
    @Test
    void aWildcardRejectIsDeletedWhenNoNetworkIsNamed() {
        faultRule("-i", "br-+", "-j", "REJECT");
        String faulty = iptablesS();
        Sh.Result fixed = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--yes", "--json");
        JsonNode doc = json(fixed);
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), fixed.err());
        JsonNode fixes = doc.path("fixes");
        assertFalse(fixes.get(0).path("available").asBoolean(), "a bridge-specific accept would die with the throw-away bridge");
        assertEquals("delete-blocking-rule", doc.path("fix").path("plan").asText());
        assertTrue(doc.path("fix").path("verified").asBoolean());
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals(faulty, iptablesS());
    }

    @Test
    void anInternalNetworkHasNoWayOutByDesign() {
        String net = network(true);
        Sh.Result r = egress("--set", "network=" + net);
        assertEquals(1, r.exit(), r.err());
        assertEquals("network-internal", json(r).path("verdict").path("id").asText());
    }

    @Test
    void forwardPolicyGetsAcceptRulesForTheBridgeAndItsReplies() {
        String net = network();
        String bridge = bridgeOf(net);
        // Docker's outgoing accept for the bridge gone (as after a firewall reload): the DROP policy decides
        List<String> dockerOut = engine().dockerAccept(bridge, false);
        inNetns(BridgeScenarioIT.concat(List.of("iptables", "-D"), dockerOut)).orFail("remove docker accept");
        onCleanup(() -> inNetns(BridgeScenarioIT.concat(List.of("iptables", "-A"), dockerOut)));
        String faulty = iptablesS();
        Sh.Result fixed = triage("fix", "bridge-egress", "--set", "target=" + world.target(), "--set", "network=" + net, "--yes", "--json");
        JsonNode doc = json(fixed);
        assertEquals("forward-blocked", doc.path("verdict").path("id").asText(), fixed.err());
        assertEquals("accept-bridge-egress", doc.path("fix").path("plan").asText());
        assertTrue(doc.path("fix").path("verified").asBoolean(), fixed.err());
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals(faulty, iptablesS());
    }

    @Test
    void forwardingOffIsIpForwardDisabled() {
        // Docker 28 turns forwarding back on whenever it creates a network: test an existing one there
        String[] extra = engine().isHost() ? new String[0] : new String[]{"--set", "network=" + network()};
        sysctl("/proc/sys/net/ipv4/ip_forward", "0");
        Sh.Result r = egress(extra);
        assertEquals("ip-forward-disabled", json(r).path("verdict").path("id").asText(), r.err());
    }

    String natS() {
        return inNetns("iptables", "-t", "nat", "-S").orFail("iptables -t nat -S").out();
    }
}
