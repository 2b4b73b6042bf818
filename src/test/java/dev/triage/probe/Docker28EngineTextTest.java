package dev.triage.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Network;
import dev.triage.host.HostSystem;
import dev.triage.host.firewall.Decision;
import dev.triage.host.firewall.ForwardEvaluator;
import dev.triage.host.firewall.ForwardPacket;
import dev.triage.host.firewall.IptablesRuleset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What triage reads from Docker 28, on text captured from the real Docker 28.5.2 of the test bed
 * (src/test/resources/docker28): its error at container start on a kernel without the raw table,
 * its iptables rules (DOCKER-FORWARD, DOCKER-BRIDGE, DOCKER-CT) and its network options.
 */
class Docker28EngineTextTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = Docker28EngineTextTest.class.getResourceAsStream("/docker28/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** docker-java wraps the daemon's answer as "Status 500: BODY"; the body is the engine's real reply. */
    static String startError() throws IOException {
        return "Status 500: " + fixture("start-raw-missing.response.json").strip();
    }

    @Test
    void theRawTableErrorAtContainerStartIsRecognisedInTheEnginesOwnWords() throws IOException {
        String message = BridgeKit.engineMessage(startError());
        assertTrue(message.startsWith("failed to set up container networking: failed to create endpoint s3 on network t3:"), message);
        assertFalse(message.contains("Status 500") || message.contains("{\"message\""), message);
        assertEquals("iptables-raw-missing", BridgeKit.kernelOutcome(message, "setup-failed"));
        assertEquals("iptables --wait -t raw -A PREROUTING -d 172.18.0.2 ! -i br-9cc6d85bb7eb -j DROP",
                KernelModulesProbe.failingCommand(message));
    }

    /** With firewalld running, Docker 28 sends its iptables calls through firewalld's passthrough, which words the refusal. */
    @Test
    void theRawTableErrorThroughFirewalldsPassthroughNamesTheCommandToo() throws IOException {
        String message = BridgeKit.engineMessage("Status 500: " + fixture("start-raw-missing-firewalld.response.json").strip());
        assertTrue(message.contains("COMMAND_FAILED: '/usr/sbin/iptables -w10 -t raw"), message);
        assertEquals("iptables-raw-missing", BridgeKit.kernelOutcome(message, "setup-failed"));
        assertEquals("/usr/sbin/iptables -w10 -t raw -A PREROUTING -d 172.18.0.2 ! -i br-7ad53afc4cca -j DROP",
                KernelModulesProbe.failingCommand(message));
    }

    @Test
    void theSameRefusalWhenANetworkIsCreatedIsRecognisedToo() throws IOException {
        // the engine's words after the endpoint prefix, as a network-creation error would carry them
        String real = BridgeKit.engineMessage(startError());
        String m = "Error response from daemon: " + real.substring(real.indexOf("Unable to enable DIRECT ACCESS FILTERING"));
        assertEquals("iptables-raw-missing", BridgeKit.kernelOutcome(m, "network-create-failed"));
        assertEquals("iptables --wait -t raw -A PREROUTING -d 172.18.0.2 ! -i br-9cc6d85bb7eb -j DROP",
                KernelModulesProbe.failingCommand(m));
    }

    @Test
    void theIpsetDependencyOf2800IsRecognisedByItsText() {
        String m = "Error response from daemon: creating ipset docker-ext-bridges-v4: invalid argument"
                + " (kernel modules ip_set, ip_set_hash_net and netfilter_xt_set are required)";
        assertEquals("ipset-missing", BridgeKit.kernelOutcome(m, "network-create-failed"));
        assertEquals("creating ipset docker-ext-bridges-v4", KernelModulesProbe.failingCommand(m));
        assertEquals("setup-failed", BridgeKit.kernelOutcome("no space left on device", "setup-failed"));
        assertEquals("plain text", BridgeKit.engineMessage("plain text"));
    }

    @Test
    void aKernelThatShipsTheModuleCanLoadIt(@TempDir Path root) throws IOException {
        write(root, "proc/sys/kernel/osrelease", "5.4.0-1045-raspi\n");
        write(root, "lib/modules/5.4.0-1045-raspi/modules.dep",
                "kernel/net/ipv4/netfilter/iptable_raw.ko.zst: kernel/net/ipv4/netfilter/ip_tables.ko.zst\n");
        write(root, "boot/config-5.4.0-1045-raspi", "CONFIG_IP_NF_RAW=m\n");
        var r = KernelModulesProbe.inspect(new HostSystem(root), List.of("iptable_raw"), List.of("CONFIG_IP_NF_RAW"),
                BridgeKit.engineMessage(startError()));
        assertEquals("available", r.outcome());
        assertTrue(r.evidence().moduleAvailable());
        assertEquals("none", r.evidence().missing());
        assertEquals("CONFIG_IP_NF_RAW=m", r.evidence().kernelConfig());
        assertEquals("/boot/config-5.4.0-1045-raspi", r.evidence().configSource());
        assertTrue(r.evidence().modules().get(0).shippedAs().startsWith("a module in /lib/modules/5.4.0-1045-raspi"));
    }

    @Test
    void aKernelBuiltWithoutTheRawTableCannot(@TempDir Path root) throws IOException {
        write(root, "proc/sys/kernel/osrelease", "4.9.253-tegra\n");
        write(root, "lib/modules/4.9.253-tegra/modules.dep", "kernel/net/ipv4/netfilter/iptable_nat.ko:\n");
        Files.createDirectories(root.resolve("proc"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(root.resolve("proc/config.gz")))) {
            out.write("CONFIG_IP_NF_IPTABLES=y\n# CONFIG_IP_NF_RAW is not set\n".getBytes(StandardCharsets.UTF_8));
        }
        write(root, "run/systemd/system/.keep", "");
        var r = KernelModulesProbe.inspect(new HostSystem(root), List.of("iptable_raw"), List.of("CONFIG_IP_NF_RAW"), "");
        assertEquals("not-available", r.outcome());
        assertFalse(r.evidence().moduleAvailable());
        assertEquals("iptable_raw", r.evidence().missing());
        assertEquals("CONFIG_IP_NF_RAW is not set", r.evidence().kernelConfig());
        assertEquals("/proc/config.gz", r.evidence().configSource());
        assertEquals("not stated", r.evidence().failingCommand());
        assertEquals("systemd", r.evidence().initSystem());
        assertEquals("not in /lib/modules/4.9.253-tegra", r.evidence().modules().get(0).shippedAs());
    }

    @Test
    void aKernelThatSaysNothingIsNotAssumedToHaveIt(@TempDir Path root) throws IOException {
        write(root, "proc/sys/kernel/osrelease", "6.1.0\n");
        var r = KernelModulesProbe.inspect(new HostSystem(root), List.of("ip_set", "ip_set_hash_net", "xt_set"),
                List.of("CONFIG_IP_SET"), "");
        assertEquals("not-available", r.outcome());
        assertEquals("ip_set, ip_set_hash_net, xt_set", r.evidence().missing());
        assertTrue(r.evidence().kernelConfig().startsWith("CONFIG_IP_SET: not stated"), r.evidence().kernelConfig());
        assertEquals("unknown", r.evidence().initSystem());
    }

    @Test
    void theForwardWalkNamesADockerUserDropAheadOfDocker28sChains() throws IOException {
        IptablesRuleset rs = IptablesRuleset.parse("filter", fixture("iptables-save-docker-user-drop.txt"));
        assertTrue(rs.hasChain("DOCKER-FORWARD") && rs.hasChain("DOCKER-BRIDGE") && rs.hasChain("DOCKER-CT"));
        String br = "br-15ae38ec4004";
        Decision d = new ForwardEvaluator().evaluate(rs, ForwardPacket.tcp(br, br, "172.19.0.2", "172.19.0.3", 6379));
        assertTrue(d.blocked());
        assertEquals("-A DOCKER-USER -i br-+ -o br-+ -j DROP", d.rule().spec());
    }

    @Test
    void withoutTheDropDocker28sOwnAcceptInDockerForwardDecides() throws IOException {
        String rules = fixture("iptables-save-docker-user-drop.txt").replace("-A DOCKER-USER -i br-+ -o br-+ -j DROP\n", "");
        IptablesRuleset rs = IptablesRuleset.parse("filter", rules);
        String br = "br-15ae38ec4004";
        Decision same = new ForwardEvaluator().evaluate(rs, ForwardPacket.tcp(br, br, "172.19.0.2", "172.19.0.3", 6379));
        assertFalse(same.blocked());
        assertEquals("-A DOCKER-FORWARD -i br-15ae38ec4004 -j ACCEPT", same.rule().spec());
        assertTrue(same.path().startsWith("FORWARD#1 -> FORWARD#2 -> DOCKER-FORWARD#1") && same.path().contains("DOCKER-BRIDGE"),
                same.path());
        Decision out = new ForwardEvaluator().evaluate(rs, ForwardPacket.tcp(br, "d28up", "172.19.0.2", "198.18.254.2", 465));
        assertEquals("-A DOCKER-FORWARD -i br-15ae38ec4004 -j ACCEPT", out.rule().spec());
    }

    @Test
    void docker28sIccDropInDockerForwardIsTheIccSetting() throws IOException {
        IptablesRuleset rs = IptablesRuleset.parse("filter", fixture("iptables-save-icc-disabled.txt"));
        String br = "br-26be8b1d313d";
        Decision d = new ForwardEvaluator().evaluate(rs, ForwardPacket.tcp(br, br, "172.18.0.2", "172.18.0.3", 6379));
        assertTrue(d.blocked());
        assertEquals("DOCKER-FORWARD", d.rule().chain());
        assertTrue(ForwardRulesProbe.isDockerIccRule(d.rule(), br, br));
    }

    @Test
    void gatewayModesAndTrustedInterfacesAreReadFromTheNetwork() throws IOException {
        // newer engines send fields this docker-java does not know (EnableIPv4): ignored, as docker-java does
        ObjectMapper json = new ObjectMapper().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        Network routed = json.readValue(fixture("network-inspect-routed.json"), Network[].class)[0];
        Network isolated = json.readValue(fixture("network-inspect-isolated.json"), Network[].class)[0];
        Network trusted = json.readValue(fixture("network-inspect-trusted.json"), Network[].class)[0];
        assertEquals("routed", routed.getOptions().get("com.docker.network.bridge.gateway_mode_ipv4"));
        assertEquals("isolated", isolated.getOptions().get("com.docker.network.bridge.gateway_mode_ipv4"));
        assertTrue(isolated.getInternal());
        assertEquals("d28up", trusted.getOptions().get("com.docker.network.bridge.trusted_host_interfaces"));
        assertEquals("gateway-no-nat", NetworkOptionsProbe.outcome(null, "routed"));
        assertEquals("gateway-no-nat", NetworkOptionsProbe.outcome(null, "isolated"));
        assertEquals("masquerade-on", NetworkOptionsProbe.outcome(null, "nat-unprotected"));
        assertEquals("masquerade-off", NetworkOptionsProbe.outcome("false", "nat"));
        assertEquals("masquerade-on", NetworkOptionsProbe.outcome(null, null));
    }

    private static void write(Path root, String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
