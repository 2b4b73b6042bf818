package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.docker.DockerOps;
import dev.triage.docker.ExecResult;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Opens a TCP connection to a target from inside a container, on a bridge (the admin's network
 * or a throw-away one) or in host mode, with busybox nc. Tells refused (an RST or an ICMP
 * rejection) from no answer at all from no route, as the incidents need.
 */
public final class ContainerConnectProbe implements Probe<ContainerConnectProbe.Evidence> {

    /** Reports show both parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Network network, @JsonUnwrapped Attempt attempt) {
        public Evidence {
            network = network == null ? Network.notSetUp(null, null) : network;
            attempt = attempt == null ? Attempt.setupFailed(null, null) : attempt;
        }
    }

    /** Where the client ran: host mode, or a bridge network and the options that decide its way out. */
    public record Network(String mode, String network, boolean throwawayNetwork, boolean internal, String bridge,
                          String subnet, String clientIp, String masqueradeOption, String composeProject,
                          String composeNetwork, String gatewayMode, String trustedHostInterfaces) {
        static final Network HOST = new Network("host", "host", false, false, null, null, null, null, null, null, null, null);

        static Network of(BridgeKit kit) {
            return new Network("bridge", kit.network(), kit.throwaway(), kit.internal(), kit.bridge(), kit.subnet(),
                    kit.clientIp(), kit.masqueradeOption(), kit.composeProject(), kit.composeNetwork(),
                    kit.gatewayMode() == null ? "nat (default)" : kit.gatewayMode(), kit.trustedHostInterfaces());
        }

        /** The client could not be set up: only what was asked for is known. */
        static Network notSetUp(String mode, String network) {
            return new Network(mode, network, network != null && network.isEmpty(), false, null, null, null, null, null, null,
                    null, null);
        }
    }

    /** The connection tried: nc's command line, its output, and why the test could not run if so. */
    public record Attempt(String target, String command, String output, long millis, String setupError) {
        static Attempt setupFailed(String target, String why) {
            return new Attempt(target, null, null, 0, why);
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("container-connect", Evidence.class)
            .outcomes("connected", "refused", "timeout", "unreachable", "dns-failure", "internal", "image-missing",
                    "network-missing", "network-create-failed", "setup-failed", "iptables-raw-missing",
                    "ipset-missing")
            .fine("connected")
            .requires("image", "target")
            .optional("network", "mode", "connect-timeout");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        String target = params.get("target");
        HostPort hp = HostPort.parse(target);
        String host = hp.host();
        String port = String.valueOf(hp.port());
        boolean hostMode = params.get("mode", "bridge").equals("host");
        String clientId;
        Network base;
        try {
            if (hostMode) {
                HostClientKit kit = HostClientKit.build(context.docker(), params.get("image"));
                clientId = kit.clientId();
                base = Network.HOST;
            } else {
                BridgeKit kit = BridgeKit.build(context.docker(), params.get("image"), params.get("network"), target, hp.port());
                clientId = kit.clientId();
                base = Network.of(kit);
            }
        } catch (BridgeKit.SetupException e) {
            return ProbeResult.of(e.outcome, new Evidence(Network.notSetUp(hostMode ? "host" : "bridge", params.get("network")),
                    Attempt.setupFailed(target, e.getMessage())), e.getMessage());
        }
        Duration limit = params.duration("connect-timeout", Duration.ofSeconds(3));
        Duration left = context.atLeast(Duration.ofMillis(800), Duration.ofMillis(300), "the connection");
        Duration wait = left.compareTo(limit) < 0 ? left : limit;
        long seconds = Math.max(1, wait.toSeconds());
        List<String> command = List.of("nc", "-w", String.valueOf(seconds), host, port, "-e", "true");
        ExecResult r = new DockerOps(context.docker()).exec(clientId, wait.plusSeconds(1), command);
        String outcome = classify(r);
        if (base.internal() && !outcome.equals("connected")) {
            outcome = "internal"; // an internal network has no way out by design
        }
        String output = r.timedOut() ? "(no answer within " + r.millis() + " ms)" : r.output().strip();
        Evidence e = new Evidence(base, new Attempt(target, String.join(" ", command), output, r.millis(),
                outcome.equals("setup-failed") ? "the client could not run nc: " + output : null));
        String from = hostMode ? "from a container in host mode" : "from a container on " + base.network() + " (" + base.bridge() + ")";
        String summary = switch (outcome) {
            case "connected" -> target + " accepts TCP " + from + " (" + r.millis() + " ms)";
            case "refused" -> target + " refused the connection " + from + ": " + output;
            case "unreachable" -> "no route to " + target + " " + from + ": " + output;
            case "timeout" -> target + " did not answer " + from + " within " + r.millis() + " ms";
            case "dns-failure" -> "'" + host + "' does not resolve " + from;
            case "internal" -> base.network() + " is an internal network: it has no way out by design";
            default -> "cannot test " + from + ": " + output;
        };
        return ProbeResult.of(outcome, e, summary);
    }

    /** busybox nc's messages; "-e true" makes a successful connection exit 0 at once. */
    static String classify(ExecResult r) {
        if (r.timedOut()) {
            return "timeout";
        }
        String out = r.output().toLowerCase(Locale.ROOT);
        if (Long.valueOf(0).equals(r.exitCode())) {
            return "connected";
        }
        if (out.contains("connection refused")) {
            return "refused";
        }
        if (out.contains("no route to host") || out.contains("network is unreachable") || out.contains("host is unreachable")) {
            return "unreachable";
        }
        if (out.contains("timed out") || out.contains("timeout")) {
            return "timeout";
        }
        if (out.contains("bad address") || out.contains("name or service not known") || out.contains("can't resolve")) {
            return "dns-failure";
        }
        return "setup-failed";
    }
}
