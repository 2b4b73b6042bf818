package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.docker.DockerOps;
import dev.triage.docker.ExecResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The write-up's minimal test with a time limit: from a client container on the network, resolve
 * the server's name, then {@code redis-cli -h NAME PING}. Tells "name does not resolve" from "name
 * resolves but TCP is refused / hangs" from "it answers".
 */
public final class BridgeConnectProbe implements Probe<BridgeConnectProbe.Evidence> {
    private static final Pattern ADDRESS = Pattern.compile("^Address(?: \\d+)?:\\s*([0-9a-fA-F.:]+)(?:\\s+\\S+)?\\s*$");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    /** A fresh redis-server needs a moment before it listens; "refused" within this window is retried. */
    private static final Duration STARTUP_GRACE = Duration.ofMillis(2500);

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Network network, @JsonUnwrapped Peers peers, @JsonUnwrapped Lookup lookup,
                           @JsonUnwrapped Attempt attempt) {
        public Evidence {
            network = network == null ? Network.notSetUp(null) : network;
            peers = peers == null ? Peers.notSetUp(null, 0) : peers;
            lookup = lookup == null ? Lookup.NONE : lookup;
            attempt = attempt == null ? Attempt.setupFailed(null) : attempt;
        }
    }

    /** The bridge network the test ran on and its options. */
    public record Network(String network, boolean throwawayNetwork, String driver, String bridge, String subnet, String gateway,
                          String iccOption) {
        static Network of(BridgeKit kit) {
            return new Network(kit.network(), kit.throwaway(), kit.driver(), kit.bridge(), kit.subnet(), kit.gateway(),
                    kit.iccOption());
        }

        /** The test bed could not be built: only the network asked for is known. */
        static Network notSetUp(String network) {
            return new Network(network, network != null && network.isEmpty(), null, null, null, null, null);
        }
    }

    /** The server (the probe's own, or the target given) and the client that connected to it. */
    public record Peers(String server, String serverIp, String client, String clientIp, String target, int port) {
        static Peers of(BridgeKit kit, String host) {
            return new Peers(host, kit.serverIp(), kit.clientName(), kit.clientIp(),
                    kit.targetHost() == null ? null : kit.targetHost() + ":" + kit.port(), kit.port());
        }

        static Peers notSetUp(String target, int port) {
            return new Peers(null, null, null, null, target, port);
        }
    }

    /** What the server's name resolved to in the client. */
    public record Lookup(String address, List<String> resolved, String resolveOutput) {
        static final Lookup NONE = new Lookup(null, List.of(), null);

        static Lookup of(List<String> resolved, String output) {
            return new Lookup(resolved.isEmpty() ? null : resolved.get(0), List.copyOf(resolved), output);
        }
    }

    /** The PING sent, the reply, and why the test could not run if so. */
    public record Attempt(String command, String reply, long connectMillis, String setupError) {
        static Attempt setupFailed(String why) {
            return new Attempt(null, null, 0, why);
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("bridge-connect", Evidence.class)
            .outcomes("answered", "dns-failure", "refused", "timeout", "no-reply", "unreachable", "image-missing",
                    "network-missing", "network-create-failed", "setup-failed", "iptables-raw-missing",
                    "ipset-missing")
            .fine("answered")
            .requires("image")
            .optional("network", "target", "port", "connect-timeout");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        BridgeKit kit;
        try {
            kit = BridgeKit.build(context.docker(), params.get("image"), params.get("network"), params.get("target"),
                    params.getInt("port", 6379));
        } catch (BridgeKit.SetupException e) {
            Evidence ev = new Evidence(Network.notSetUp(params.get("network")), Peers.notSetUp(params.get("target"),
                    params.getInt("port", 6379)), Lookup.NONE, Attempt.setupFailed(e.getMessage()));
            return ProbeResult.of(e.outcome, ev, e.getMessage());
        }
        DockerOps ops = new DockerOps(context.docker());
        String host = kit.targetHost() != null ? kit.targetHost() : kit.serverName();

        // Connect first: on a healthy bridge a reply by name also proves resolution, which saves an exec.
        Duration limit = params.duration("connect-timeout", Duration.ofSeconds(3));
        List<String> command = List.of("redis-cli", "-h", host, "-p", String.valueOf(kit.port()), "PING");
        long start = System.nanoTime();
        ExecResult result;
        while (true) {
            Duration left = context.atLeast(Duration.ofMillis(800), Duration.ofMillis(300), "the PING");
            result = ops.exec(kit.clientId(), left.compareTo(limit) < 0 ? left : limit, command);
            boolean ownServerStarting = kit.targetHost() == null
                    && Duration.ofNanos(System.nanoTime() - start).compareTo(STARTUP_GRACE) < 0;
            if (!(ownServerStarting && classify(result).equals("refused"))) {
                break;
            }
            Thread.sleep(50);
        }
        String outcome = classify(result);
        String reply = result.timedOut() ? "(no reply within " + result.millis() + " ms)" : result.output().strip();
        if (outcome.equals("exec-failed")) {
            Evidence ev = evidence(kit, host, List.of(), "", String.join(" ", command), reply, result.millis());
            return ProbeResult.of("setup-failed", withSetupError(ev, "the client could not run redis-cli in image "
                    + params.get("image") + ": " + firstLine(reply) + " (use --set image=... with redis-cli and busybox)"),
                    "the probe client cannot run redis-cli: " + firstLine(reply));
        }
        if (outcome.equals("answered")) {
            Evidence ev = evidence(kit, host, List.of(), "(not looked up: redis-cli reached it by name)",
                    String.join(" ", command), reply, result.millis());
            return ProbeResult.of("answered", ev, host + " answered '" + firstLine(reply) + "' over " + kit.network()
                    + " (" + result.millis() + " ms)");
        }

        // It failed: ask the resolver on its own, to tell "no such name" from "name fine, TCP blocked".
        List<String> resolved = new ArrayList<>();
        String resolveOutput;
        if (IPV4.matcher(host).matches()) {
            resolved.add(host);
            resolveOutput = "(an address: nothing to resolve)";
        } else {
            Duration left = context.atLeast(Duration.ofMillis(500), Duration.ofMillis(300), "the name lookup");
            ExecResult lookup = ops.exec(kit.clientId(), left.compareTo(Duration.ofSeconds(3)) < 0 ? left : Duration.ofSeconds(3),
                    List.of("nslookup", host));
            resolveOutput = lookup.timedOut() ? "(no answer from the resolver within " + lookup.millis() + " ms)" : lookup.output().strip();
            resolved.addAll(addresses(lookup.output()));
            if (resolved.isEmpty() && !outcome.equals("dns-failure") && !lookup.timedOut() && !resolverSaidNo(lookup.output())) {
                throw new IllegalStateException("cannot tell whether '" + host + "' resolves: nslookup in the probe image said: "
                        + firstLine(lookup.output().strip()));
            }
        }
        if (resolved.isEmpty()) {
            Evidence ev = evidence(kit, host, resolved, resolveOutput, String.join(" ", command), reply, result.millis());
            String why = "bridge".equals(kit.network())
                    ? " (Docker's default 'bridge' network has no name resolution; containers need a user-defined network)"
                    : "";
            return ProbeResult.of("dns-failure", ev, "'" + host + "' does not resolve inside " + kit.network() + why);
        }
        if (outcome.equals("dns-failure")) {
            outcome = "timeout"; // redis-cli's resolver gave up but nslookup found it: treat as no answer
        }
        if (outcome.equals("timeout")) {
            // Did the TCP handshake complete? Then packets flow and the service is what does not answer.
            Duration left = context.remaining(Duration.ofMillis(300));
            if (left.compareTo(Duration.ofMillis(700)) >= 0) {
                ExecResult connect = ops.exec(kit.clientId(), left.compareTo(Duration.ofSeconds(2)) < 0 ? left : Duration.ofSeconds(2),
                        List.of("nc", "-w", "1", resolved.get(0), String.valueOf(kit.port()), "-e", "true"));
                if (!connect.timedOut() && connect.exitCode() != null && connect.exitCode() == 0) {
                    outcome = "no-reply";
                }
            }
        }
        Evidence ev = evidence(kit, host, resolved, resolveOutput, String.join(" ", command), reply, result.millis());
        String to = host + " resolves to " + String.join(",", resolved);
        String summary = switch (outcome) {
            case "timeout" -> to + " but a TCP connection to port " + kit.port() + " got no answer within "
                    + result.millis() + " ms (no reply, no refusal: packets are being dropped)";
            case "no-reply" -> to + " and TCP port " + kit.port() + " accepts connections, but the service sent nothing back within "
                    + result.millis() + " ms";
            case "refused" -> to + " but the connection to port " + kit.port() + " was refused";
            case "unreachable" -> to + " but there is no route to it";
            default -> host + ": " + firstLine(reply);
        };
        return ProbeResult.of(outcome, ev, summary);
    }

    /** busybox nslookup's ways of saying the name does not exist or no server answered. */
    static boolean resolverSaidNo(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        return o.contains("nxdomain") || o.contains("can't find") || o.contains("no servers could be reached")
                || o.contains("connection timed out") || o.contains("servfail") || o.contains("refused");
    }

    private static Evidence withSetupError(Evidence e, String error) {
        return new Evidence(e.network(), e.peers(), e.lookup(),
                new Attempt(e.attempt().command(), e.attempt().reply(), e.attempt().connectMillis(), error));
    }

    private static Evidence evidence(BridgeKit kit, String host, List<String> resolved, String resolveOutput,
                                     String command, String reply, long millis) {
        return new Evidence(Network.of(kit), Peers.of(kit, host), Lookup.of(resolved, resolveOutput),
                new Attempt(command, reply, millis, null));
    }

    /**
     * Classifies redis-cli's result. Any reply at all (PONG, -NOAUTH, a protocol error on an SMTP
     * banner, a reset after connecting) means TCP works; "exec-failed" means the client itself could not run.
     */
    static String classify(ExecResult result) {
        if (result.timedOut()) {
            return "timeout";
        }
        String out = result.output().toLowerCase(Locale.ROOT);
        if (out.contains("could not connect")) {
            if (out.contains("connection refused")) {
                return "refused";
            }
            if (out.contains("no route to host") || out.contains("network is unreachable")) {
                return "unreachable";
            }
            if (out.contains("name or service not known") || out.contains("name does not resolve")
                    || out.contains("temporary failure in name resolution") || out.contains("no address associated")) {
                return "dns-failure";
            }
            if (out.contains("timed out")) {
                return "timeout";
            }
            return "refused";
        }
        if (Long.valueOf(0).equals(result.exitCode()) && !out.isBlank()) {
            return "answered";
        }
        if (out.contains("protocol error") || out.contains("connection reset") || out.startsWith("-")
                || out.startsWith("(error)")) {
            return "answered";
        }
        return "exec-failed";
    }

    /** Addresses from busybox nslookup output; the resolver's own "Address: 127.0.0.11:53" line comes first. */
    static List<String> addresses(String output) {
        List<String> found = new ArrayList<>();
        boolean afterName = false;
        for (String line : output.split("\n")) {
            String l = line.strip();
            if (l.startsWith("Name:")) {
                afterName = true;
                continue;
            }
            Matcher m = ADDRESS.matcher(l);
            if (afterName && m.matches() && !found.contains(m.group(1))) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
