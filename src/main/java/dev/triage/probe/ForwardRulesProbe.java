package dev.triage.probe;

import dev.triage.host.IptablesBackend;
import dev.triage.host.firewall.Decision;
import dev.triage.host.firewall.ForwardEvaluator;
import dev.triage.host.firewall.ForwardPacket;
import dev.triage.host.firewall.IptablesRule;
import dev.triage.host.firewall.IptablesRuleset;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Walks the host's FORWARD chain (as the kernel would, through DOCKER-USER and Docker's chains)
 * for the first packet of the connection under test, and names the rule or policy that decides it.
 */
public final class ForwardRulesProbe implements Probe<ForwardRulesProbe.Evidence> {

    public record Evidence(String binary, String variant, String packet, String verdict, String decidedBy, String chain,
                           Integer position, String rule, List<String> ruleArgs, String forwardPolicy, String trail,
                           List<String> uncertainRules, List<String> notes) { }

    @Override
    public String kind() { return "forward-rules"; }

    @Override
    public Set<String> outcomes() { return Set.of("blocked", "accepted", "unknown"); }

    @Override
    public Set<String> requiredParams() { return Set.of("in", "out"); }

    @Override
    public Set<String> optionalParams() { return Set.of("source", "destination", "protocol", "port"); }

    @Override
    public Class<Evidence> evidenceType() { return Evidence.class; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String packetText = params.get("protocol", "tcp") + " " + params.get("source", "?") + " -> "
                + params.get("destination", "?") + ":" + params.get("port", "?") + " in " + params.get("in") + " out " + params.get("out");
        var found = IptablesBackend.detect(context.host(), context.remaining(Duration.ofMillis(200)));
        if (found.isEmpty()) {
            return ProbeResult.of("unknown", new Evidence(null, null, packetText, null, null, null, null, null, List.of(),
                    null, null, List.of(), List.of("no iptables binary on this host")), "cannot read the firewall: iptables is not installed");
        }
        IptablesBackend backend = found.get();
        if (!backend.readable()) {
            // not a finding about the firewall: the test could not run (inconclusive, exit 2)
            throw new IllegalStateException("cannot read the firewall: " + String.join("; ", backend.notes())
                    + (backend.notes().toString().toLowerCase().contains("permission") ? " (run triage as root)" : ""));
        }
        IptablesRuleset rules = IptablesRuleset.parse("filter", backend.filterRules());
        ForwardPacket packet = new ForwardPacket(params.get("in"), params.get("out"), blankToNull(params.get("source")),
                blankToNull(params.get("destination")), params.get("protocol", "tcp"),
                params.has("port") ? params.getInt("port", 0) : null);
        Decision d = new ForwardEvaluator().evaluate(rules, packet);
        IptablesRule rule = d.rule();
        List<String> notes = new java.util.ArrayList<>(backend.notes());
        notes.addAll(rules.warnings());
        if (!backend.dockerChainsFound()) {
            notes.add("Docker's chains are not in " + backend.binary() + ": Docker may run with iptables disabled or the nftables backend");
        }
        Evidence e = new Evidence(backend.binary(), backend.variant(), packetText, d.verdict().name(),
                d.byPolicy() ? "policy" : "rule", d.byPolicy() ? d.policyChain() : rule.chain(),
                rule == null ? null : rule.position(), rule == null ? null : rule.spec(),
                rule == null ? List.of() : rule.tokens(), rules.policies().get("FORWARD"), d.path(),
                d.uncertainRules().stream().map(IptablesRule::spec).toList(), List.copyOf(notes));
        String outcome = d.blocked() ? "blocked" : "accepted";
        if (!backend.dockerChainsFound() && !d.blocked()) {
            outcome = "unknown";
        }
        return ProbeResult.of(outcome, e, d.describe() + " [" + backend.binary() + ", " + backend.variant() + "]");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
