package dev.triage.host.firewall;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;

/**
 * Manual check against the real host, not a unit test (needs root and iptables):
 * {@code java -cp target/classes:target/test-classes dev.triage.host.firewall.LiveIptablesCheck}.
 * Parses {@code iptables -t filter -S}, checks every rule re-renders to its input line, and evaluates
 * intra-bridge and bridge-to-outside NEW TCP packets for each bridge named in the rules.
 */
public final class LiveIptablesCheck {
    public static void main(String[] args) throws Exception {
        Process p = new ProcessBuilder("iptables", "-t", "filter", "-S").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("iptables failed: " + out);
        IptablesRuleset rs = IptablesRuleset.parse("filter", out);
        System.out.println("policies=" + rs.policies() + " chains=" + rs.chains().size()
                + " rules=" + rs.allRules().size() + " warnings=" + rs.warnings());
        List<String> lines = out.lines().filter(l -> l.startsWith("-A ")).toList();
        List<String> specs = rs.allRules().stream().map(IptablesRule::spec).toList();
        // allRules() groups by chain; iptables -S prints chain by chain too, so the order is the same
        if (!lines.equals(specs)) throw new AssertionError("round trip differs:\n" + lines + "\n" + specs);
        rs.allRules().stream().filter(IptablesRule::hasUnsupported)
                .forEach(r -> System.out.println("unsupported in " + r.spec() + ": " + r.unsupported()));
        TreeSet<String> bridges = new TreeSet<>();
        for (IptablesRule r : rs.allRules())
            for (IptablesRule.Arg a : new IptablesRule.Arg[]{r.inInterface(), r.outInterface()})
                if (a != null && !a.value().endsWith("+") && (a.value().startsWith("br-") || a.value().startsWith("docker")))
                    bridges.add(a.value());
        ForwardEvaluator ev = new ForwardEvaluator();
        for (String br : bridges) {
            Decision intra = ev.evaluate(rs, ForwardPacket.tcp(br, br, "172.17.0.2", "172.17.0.3", 25));
            Decision outside = ev.evaluate(rs, ForwardPacket.tcp(br, "eth0", "172.17.0.2", "1.1.1.1", 443));
            System.out.println(br + " -> " + br + ": " + intra.describe() + "  [" + intra.path() + "]");
            System.out.println(br + " -> eth0: " + outside.describe() + "  [" + outside.path() + "]");
        }
        System.out.println("OK");
    }
}
