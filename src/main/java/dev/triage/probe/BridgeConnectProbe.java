package dev.triage.probe;

import dev.triage.docker.DockerOps;
import dev.triage.docker.ExecResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    public record Evidence(String network, boolean throwawayNetwork, String driver, String bridge, String subnet,
                           String gateway, String iccOption, String server, String serverIp, String client,
                           String clientIp, String target, int port, String address, List<String> resolved, String resolveOutput,
                           String command, String reply, long connectMillis, String setupError) { }

    @Override
    public String kind() { return "bridge-connect"; }

    @Override
    public Set<String> outcomes() {
        return Set.of("answered", "dns-failure", "refused", "timeout", "unreachable", "image-missing",
                "network-missing", "network-create-failed", "setup-failed");
    }

    @Override
    public Set<String> requiredParams() { return Set.of("image"); }

    @Override
    public Set<String> optionalParams() { return Set.of("network", "target", "port", "connect-timeout"); }

    @Override
    public Class<Evidence> evidenceType() { return Evidence.class; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        BridgeKit kit;
        try {
            kit = BridgeKit.build(context.docker(), params.get("image"), params.get("network"), params.get("target"),
                    params.getInt("port", 6379));
        } catch (BridgeKit.SetupException e) {
            Evidence ev = new Evidence(params.get("network"), params.get("network").isEmpty(), null, null, null, null,
                    null, null, null, null, null, params.get("target"), params.getInt("port", 6379), null, List.of(), null,
                    null, null, 0, e.getMessage());
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
            Duration left = context.remaining(Duration.ofMillis(300));
            result = ops.exec(kit.clientId(), left.compareTo(limit) < 0 ? left : limit, command);
            boolean ownServerStarting = kit.targetHost() == null
                    && Duration.ofNanos(System.nanoTime() - start).compareTo(STARTUP_GRACE) < 0;
            if (!(ownServerStarting && classify(result).equals("refused"))) {
                break;
            }
            Thread.sleep(50);
        }

        List<String> resolved = new ArrayList<>();
        String resolveOutput = "";
        if (IPV4.matcher(host).matches()) {
            resolved.add(host);
        } else if (classify(result).equals("answered")) {
            resolveOutput = "(resolved: redis-cli reached it by name)";
            if (kit.serverIp() != null) {
                resolved.add(kit.serverIp());
            }
        } else {
            // It failed: ask the resolver separately, to tell "no such name" from "name fine, TCP blocked".
            Duration left = context.remaining(Duration.ofMillis(300));
            ExecResult lookup = ops.exec(kit.clientId(), left.compareTo(Duration.ofSeconds(3)) < 0 ? left : Duration.ofSeconds(3),
                    List.of("nslookup", host));
            resolveOutput = lookup.timedOut() ? "(no answer from the resolver within " + lookup.millis() + " ms)" : lookup.output().strip();
            resolved.addAll(addresses(lookup.output()));
        }
        if (resolved.isEmpty() && !classify(result).equals("answered")) {
            Evidence ev = evidence(kit, host, resolved, resolveOutput, String.join(" ", command),
                    result.timedOut() ? "(no reply within " + result.millis() + " ms)" : result.output().strip(), result.millis());
            String why = "bridge".equals(kit.network())
                    ? " (Docker's default 'bridge' network has no name resolution; containers need a user-defined network)"
                    : "";
            return ProbeResult.of("dns-failure", ev, "'" + host + "' does not resolve inside " + kit.network() + why);
        }
        String outcome = classify(result);
        String reply = result.timedOut() ? "(no reply within " + result.millis() + " ms)" : result.output().strip();
        Evidence ev = evidence(kit, host, resolved, resolveOutput, String.join(" ", command), reply, result.millis());
        String summary = switch (outcome) {
            case "answered" -> host + (resolved.isEmpty() ? "" : " (" + String.join(",", resolved) + ")") + " answered '"
                    + firstLine(reply) + "' over " + kit.network();
            case "timeout" -> host + " resolves to " + String.join(",", resolved) + " but TCP port " + kit.port()
                    + " did not answer within " + result.millis() + " ms (packets silently dropped)";
            case "refused" -> host + " resolves to " + String.join(",", resolved) + " but the connection to port "
                    + kit.port() + " was refused";
            case "unreachable" -> host + " resolves to " + String.join(",", resolved) + " but there is no route to it";
            default -> host + ": " + firstLine(reply);
        };
        if (outcome.equals("dns-failure")) {
            summary = "'" + host + "' does not resolve for redis-cli: " + firstLine(reply);
        }
        return ProbeResult.of(outcome, ev, summary);
    }

    private static Evidence evidence(BridgeKit kit, String host, List<String> resolved, String resolveOutput,
                                     String command, String reply, long millis) {
        return new Evidence(kit.network(), kit.throwaway(), kit.driver(), kit.bridge(), kit.subnet(), kit.gateway(),
                kit.iccOption(), host, kit.serverIp(), kit.clientName(), kit.clientIp(),
                kit.targetHost() == null ? null : kit.targetHost() + ":" + kit.port(), kit.port(),
                resolved.isEmpty() ? null : resolved.get(0), List.copyOf(resolved),
                resolveOutput, command, reply, millis, null);
    }

    /** Classifies redis-cli's result. Any reply at all (PONG, -NOAUTH, an SMTP banner) means TCP works. */
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
        return "answered";
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
