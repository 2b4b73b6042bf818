package dev.triage.probe;


/**
 * Is br_netfilter present, and does bridged traffic go through iptables? Read from /proc and /sys
 * directly: "docker info" stopped warning about it in 27.5/28.0. The module may be built in, in which
 * case /sys/module/br_netfilter exists without a /proc/modules line.
 */
public final class BridgeNetfilterProbe implements Probe<BridgeNetfilterProbe.Evidence> {
    static final String CALL_IPTABLES = "/proc/sys/net/bridge/bridge-nf-call-iptables";
    static final String CALL_IP6TABLES = "/proc/sys/net/bridge/bridge-nf-call-ip6tables";

    public record Evidence(boolean present, String loadedAs, String callIptables, String callIp6tables) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("bridge-netfilter", Evidence.class)
            .outcomes("enabled", "missing", "disabled");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        var host = context.host();
        boolean inModules = host.read("/proc/modules").map(m -> m.lines().anyMatch(l -> l.startsWith("br_netfilter "))).orElse(false);
        boolean inSys = host.exists("/sys/module/br_netfilter");
        String v4 = host.readValue(CALL_IPTABLES).orElse(null);
        String v6 = host.readValue(CALL_IP6TABLES).orElse(null);
        boolean present = v4 != null || inModules || inSys;
        String loadedAs = inModules ? "module" : (present ? "built into the kernel" : "absent");
        Evidence e = new Evidence(present, loadedAs, v4, v6);
        if (!present || v4 == null) {
            return ProbeResult.of("missing", e, "br_netfilter is not loaded: /proc/sys/net/bridge does not exist");
        }
        // the connection under test is IPv4: ip6tables=0 alone does not bypass iptables for it
        if (!"1".equals(v4)) {
            return ProbeResult.of("disabled", e, "br_netfilter " + loadedAs + ", but bridge-nf-call-iptables=" + v4
                    + " (bridge-nf-call-ip6tables=" + v6 + ")");
        }
        return ProbeResult.of("enabled", e, "br_netfilter " + loadedAs + ", bridge-nf-call-iptables=1, bridge-nf-call-ip6tables=" + v6
                + ("1".equals(v6) || v6 == null ? "" : " (IPv6 bridged traffic bypasses ip6tables)"));
    }
}
