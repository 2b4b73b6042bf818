package dev.triage.probe;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.triage.concurrent.Workers;
import dev.triage.docker.DockerOps;
import dev.triage.docker.DockerSession;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The write-up's minimal test bed, built once per run and shared by every test that needs it: a
 * network (a throw-away bridge, or the admin's own), the probe server on it (unless the admin
 * named a target) and a client container to connect from. Server and client start in parallel.
 */
public record BridgeKit(String network, String networkId, boolean throwaway, String driver, String bridge,
                        String subnet, String gateway, String iccOption, String masqueradeOption, String gatewayMode,
                        String trustedHostInterfaces, boolean internal, String composeProject,
                        String composeNetwork, String serverId, String serverName,
                        String serverIp, String clientId, String clientName, String clientIp, String targetHost,
                        int port) {

    /** Why the bed could not be built, with the outcome the tree branches on. */
    public static final class SetupException extends Exception {
        public final String outcome;

        SetupException(String outcome, String message, Throwable cause) {
            super(message, cause);
            this.outcome = outcome;
        }
    }

    static final List<String> SERVER_CMD = List.of("redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no");

    public static BridgeKit build(DockerSession session, String image, String network, String target, int port)
            throws Exception {
        // with a target the port is the target's: every test naming the same bed shares it
        String key = "bridge-kit|" + image + "|" + network + "|" + target + "|" + (target.isEmpty() ? port : 0);
        return session.fixture(key, () -> create(session, image, network, target, port));
    }

    private static BridgeKit create(DockerSession session, String image, String networkName, String target, int port)
            throws Exception {
        String targetHost = null;
        int targetPort = port;
        try {
            HostPort hp = HostPort.parse(target.isEmpty() ? "probe:" + port : target);
            targetHost = target.isEmpty() ? null : hp.host();
            targetPort = hp.port();
        } catch (IllegalArgumentException e) {
            throw new SetupException("setup-failed", e.getMessage(), e);
        }
        DockerOps ops = new DockerOps(session);
        // independent calls overlap: the image check runs while the network is created
        CompletableFuture<Boolean> imageThere = CompletableFuture.supplyAsync(() -> ops.imagePresent(image), Workers.io());
        Network net;
        boolean throwaway = networkName.isEmpty();
        try {
            net = throwaway ? ops.createNetwork("net") : ops.inspectNetwork(networkName);
        } catch (NotFoundException e) {
            throw new SetupException("network-missing", "network '" + networkName + "' does not exist (docker network ls)", e);
        } catch (RuntimeException e) {
            String why = message(e);
            throw new SetupException(kernelOutcome(why, "network-create-failed"), "cannot create a bridge network: " + why, e);
        }
        if (!imageThere.join()) {
            throw new SetupException("image-missing", "image " + image + " is not on this engine (docker pull " + image
                    + ", or --set image=AN_IMAGE_YOU_HAVE with redis-server, redis-cli and busybox)", null);
        }
        if (!"bridge".equals(net.getDriver())) {
            throw new SetupException("setup-failed", "network '" + net.getName() + "' uses the '" + net.getDriver()
                    + "' driver; this test is about bridge networks (the compose default). Name a bridge network,"
                    + " e.g. PROJECT_default from docker network ls", null);
        }
        String name = net.getName();
        Map<String, String> options = net.getOptions() == null ? Map.of() : net.getOptions();
        String bridge = options.getOrDefault("com.docker.network.bridge.name",
                "bridge".equals(net.getDriver()) ? "br-" + net.getId().substring(0, 12) : null);
        String subnet = null;
        String gateway = null;
        if (net.getIpam() != null && net.getIpam().getConfig() != null) {
            for (Network.Ipam.Config c : net.getIpam().getConfig()) {
                if (c.getSubnet() != null && c.getSubnet().contains(".")) {
                    subnet = c.getSubnet();
                    gateway = c.getGateway();
                    break;
                }
            }
        }
        boolean ownServer = targetHost == null;
        CompletableFuture<String[]> server = ownServer
                ? CompletableFuture.supplyAsync(() -> started(ops, "srv", image, name, null, SERVER_CMD), Workers.io())
                : CompletableFuture.completedFuture(new String[]{null, null});
        CompletableFuture<String[]> client = CompletableFuture.supplyAsync(
                () -> started(ops, "cli", image, name, List.of("sleep"), List.of("600")), Workers.io());
        String[] serverIdIp;
        String[] clientIdIp;
        try {
            serverIdIp = server.join();
            clientIdIp = client.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String why = message(cause);
            // Docker 28 sets up a container's iptables rules when it starts, so a kernel gap shows here
            throw new SetupException(kernelOutcome(why, "setup-failed"), "cannot start the probe containers on " + name + ": " + why, cause);
        }
        String serverName = ownServer ? session.identity().name("srv") : targetHost;
        Map<String, String> labels = net.getLabels() == null ? Map.of() : net.getLabels();
        return new BridgeKit(name, net.getId(), throwaway, net.getDriver(), bridge, subnet, gateway,
                options.get("com.docker.network.bridge.enable_icc"), options.get("com.docker.network.bridge.enable_ip_masquerade"),
                options.get("com.docker.network.bridge.gateway_mode_ipv4"),
                options.get("com.docker.network.bridge.trusted_host_interfaces"), Boolean.TRUE.equals(net.getInternal()),
                labels.get("com.docker.compose.project"), labels.get("com.docker.compose.network"),
                serverIdIp[0], serverName, serverIdIp[1],
                clientIdIp[0], session.identity().name("cli"), clientIdIp[1], targetHost, targetPort);
    }

    /** Starts a container and reads its address on the network: {id, ip}. */
    private static String[] started(DockerOps ops, String role, String image, String network, List<String> entrypoint,
                                    List<String> cmd) {
        String id = ops.startContainer(role, image, network, entrypoint, cmd);
        return new String[]{id, ops.ipOn(id, network)};
    }

    static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? dev.triage.host.Failures.words(e)
                : dev.triage.host.Failures.withoutClassNames(engineMessage(m)).strip().replaceAll("\\s+", " ");
    }

    private static final java.util.regex.Pattern STATUS_JSON =
            java.util.regex.Pattern.compile("(?s)^\\s*Status \\d{3}: (\\{.*\\})\\s*$");

    /** The daemon's own words: docker-java reports an error as "Status 500: {"message":"..."}". */
    static String engineMessage(String raw) {
        java.util.regex.Matcher m = STATUS_JSON.matcher(raw);
        if (m.matches()) {
            try {
                com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(1));
                if (json.path("message").isTextual()) {
                    return json.path("message").asText();
                }
            } catch (java.io.IOException e) {
                return raw; // not JSON after all: keep what the engine said
            }
        }
        return raw;
    }

    /**
     * Kernel features the engine needs, told by the daemon's error text: the iptables raw table
     * (Docker 28's direct-access filtering, moby #49557) and ipset (28.0.0's docker-ext-bridges sets).
     */
    static String kernelOutcome(String message, String otherwise) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("table `raw'") || m.contains("table 'raw'") || m.contains("direct access filtering")
                || (m.contains("-t raw") && m.contains("table does not exist"))) {
            return "iptables-raw-missing";
        }
        if (m.contains("ipset") && (m.contains("ip_set") || m.contains("docker-ext-bridges") || m.contains("xt_set"))) {
            return "ipset-missing";
        }
        return otherwise;
    }
}
