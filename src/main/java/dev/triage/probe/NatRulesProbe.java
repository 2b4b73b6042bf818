package dev.triage.probe;

import dev.triage.host.IptablesBackend;
import dev.triage.host.firewall.ForwardPacket;
import dev.triage.host.firewall.IptablesRule;
import dev.triage.host.firewall.IptablesRuleset;
import dev.triage.host.firewall.SourceNatEvaluator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Is the source of a container's outgoing connection rewritten on its way out (MASQUERADE or SNAT
 * in nat POSTROUTING), in any iptables variant? Without it, replies to the container's private
 * address never find their way back: the client hangs.
 */
public final class NatRulesProbe implements Probe<NatRulesProbe.Evidence> {

    public record Evidence(String binary, String variant, String packet, String target, String rule, String decision,
                           String trail, List<String> uncertainRules, List<String> notes) { }

    @Override
    public String kind() { return "nat-rules"; }

    @Override
    public Set<String> fineOutcomes() { return Set.of("translated"); }

    @Override
    public Set<String> outcomes() { return Set.of("translated", "missing", "unknown"); }

    @Override
    public Set<String> requiredParams() { return Set.of("source", "out"); }

    @Override
    public Set<String> optionalParams() { return Set.of("in", "destination", "protocol", "port"); }

    @Override
    public Class<Evidence> evidenceType() { return Evidence.class; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String packetText = params.get("protocol", "tcp") + " " + params.get("source") + " -> " + params.get("destination", "?")
                + ":" + params.get("port", "?") + " out " + params.get("out");
        List<IptablesBackend.Ruleset> sets = IptablesBackend.detect(context.host(),
                context.atLeast(Duration.ofMillis(300), Duration.ofMillis(200), "reading the nat table"), "nat");
        if (sets.stream().noneMatch(IptablesBackend.Ruleset::readable)) {
            if (sets.isEmpty()) {
                return ProbeResult.of("unknown", new Evidence(null, null, packetText, null, null, null, null, List.of(),
                        List.of("no iptables binary on this host")), "cannot read the nat table: iptables is not installed");
            }
            throw new IllegalStateException("cannot read the nat table: "
                    + String.join("; ", sets.stream().map(r -> r.binary() + ": " + r.error()).toList()));
        }
        ForwardPacket packet = new ForwardPacket(blank(params.get("in")), params.get("out"), params.get("source"),
                blank(params.get("destination")), params.get("protocol", "tcp"), params.has("port") ? params.getInt("port", 0) : null);
        List<String> notes = new ArrayList<>();
        SourceNatEvaluator.NatDecision best = null;
        IptablesBackend.Ruleset bestSet = null;
        for (IptablesBackend.Ruleset set : sets) {
            if (!set.readable()) {
                notes.add(set.binary() + " could not be read: " + set.error());
                continue;
            }
            SourceNatEvaluator.NatDecision d = new SourceNatEvaluator().evaluate(IptablesRuleset.parse("nat", set.rules()), packet);
            if (best == null || (d.translated() && !best.translated())) {
                best = d;
                bestSet = set;
            }
        }
        IptablesRule rule = best.rule();
        Evidence e = new Evidence(bestSet.binary(), bestSet.variant(), packetText, best.target(),
                rule == null ? null : rule.spec(), best.describe(), String.join(" -> ", best.trail()),
                best.uncertainRules().stream().map(IptablesRule::spec).toList(), notes);
        boolean dockerInIptables = sets.stream().anyMatch(IptablesBackend.Ruleset::dockerChains);
        if (!dockerInIptables) {
            notes.add("Docker's chains are not in the iptables nat table: its NAT (nftables backend, OpenWrt fw4) is not visible here");
        }
        // not seen in iptables is "missing" only where Docker keeps its NAT in iptables
        // a rule before it that might have matched (an ipsec policy ACCEPT, say) leaves the answer open
        String outcome = best.translated() ? (best.uncertainRules().isEmpty() ? "translated" : "unknown")
                : best.uncertainRules().isEmpty() && dockerInIptables ? "missing" : "unknown";
        return ProbeResult.of(outcome, e, best.describe() + " [" + bestSet.binary() + "]");
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
