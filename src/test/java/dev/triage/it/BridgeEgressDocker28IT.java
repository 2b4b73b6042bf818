package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every test of {@link BridgeEgressIT}, against the test bed's Docker 28 (.ci/docker28.sh), and what only 28 has. */
class BridgeEgressDocker28IT extends BridgeEgressIT {
    @Override
    Engine engine() {
        return docker28OrSkip();
    }

    @Test
    void aKernelWithoutTheRawTableIsIptablesRawMissing() throws Exception {
        Path noRaw = Path.of(engine().noRawSwitch());
        Files.writeString(noRaw, "");
        onCleanup(() -> Sh.run("rm", "-f", noRaw.toString()));
        Sh.Result r = triage("diagnose", "bridge-egress", "--set", "target=" + world().target(), "--json");
        JsonNode doc = json(r);
        assertEquals(1, r.exit(), r.err());
        assertEquals("iptables-raw-missing", doc.path("verdict").path("id").asText());
        assertEquals("iptables-raw-missing", step(doc, "container").path("outcome").asText());
        assertTrue(step(doc, "raw-table").path("evidence").path("failingCommand").asText().contains("-t raw"));
    }

    /** Docker 28's routed gateway mode: no source NAT by design, and the tree says so by itself. */
    @Test
    void aRoutedNetworkExplainsTheEgressFailureByItsGatewayMode() {
        String net = unique("routed");
        docker("network", "create", "-o", "com.docker.network.bridge.gateway_mode_ipv4=routed", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        Sh.Result r = triage("diagnose", "bridge-egress", "--set", "target=" + world().target(), "--set", "network=" + net, "--json");
        JsonNode doc = json(r);
        assertEquals(1, r.exit(), r.err());
        assertEquals("gateway-mode-no-nat", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("routed", step(doc, "network-options").path("evidence").path("gatewayMode").asText());
        assertTrue(doc.path("verdict").path("explanation").asText().contains("routed"));
    }

    /** isolated is only allowed on an internal network: the verdict names the mode. */
    @Test
    void anIsolatedNetworkIsInternalAndSaysItsGatewayMode() {
        String net = unique("isolated");
        docker("network", "create", "--internal", "-o", "com.docker.network.bridge.gateway_mode_ipv4=isolated", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        Sh.Result r = triage("diagnose", "bridge-egress", "--set", "target=" + world().target(), "--set", "network=" + net, "--json");
        JsonNode doc = json(r);
        assertEquals("network-internal", doc.path("verdict").path("id").asText(), r.err());
        assertEquals("isolated", step(doc, "container").path("evidence").path("gatewayMode").asText());
        assertTrue(doc.path("verdict").path("explanation").asText().contains("isolated"));
    }
}
