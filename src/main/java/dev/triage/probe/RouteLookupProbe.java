package dev.triage.probe;

import dev.triage.host.CommandResult;

import java.net.InetAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which device (and gateway) the host uses to reach an address: "ip route get". */
public final class RouteLookupProbe implements Probe<RouteLookupProbe.Evidence> {
    private static final Pattern DEV = Pattern.compile("\\bdev (\\S+)");
    private static final Pattern VIA = Pattern.compile("\\bvia (\\S+)");
    private static final Pattern SRC = Pattern.compile("\\bsrc (\\S+)");

    public record Evidence(String destination, String device, String gateway, String source, String output) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("route-lookup", Evidence.class)
            .outcomes("found", "no-route")
            .fine("found")
            .requires("destination");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        String destination = InetAddress.getByName(params.get("destination")).getHostAddress(); // an address, never an option
        CommandResult r = context.host().run(context.atLeast(Duration.ofMillis(200), Duration.ofMillis(100), "ip route"),
                "ip", "route", "get", destination);
        if (!r.ok()) {
            return ProbeResult.of("no-route", new Evidence(destination, null, null, null, (r.stderr() + r.stdout()).strip()),
                    "no route to " + destination + ": " + r.stderr().strip());
        }
        String out = r.stdout().strip();
        String dev = find(DEV, out);
        Evidence e = new Evidence(destination, dev, find(VIA, out), find(SRC, out), out);
        return dev == null ? ProbeResult.of("no-route", e, "no device for " + destination + ": " + out)
                : ProbeResult.of("found", e, destination + " leaves through " + dev + (e.gateway() == null ? "" : " via " + e.gateway()));
    }

    private static String find(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group(1) : null;
    }
}
