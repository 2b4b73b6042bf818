package dev.triage.probe;

import dev.triage.host.IptablesBackend;
import dev.triage.host.firewall.Decision;
import dev.triage.host.firewall.ForwardEvaluator;
import dev.triage.host.firewall.ForwardPacket;
import dev.triage.host.firewall.IptablesRule;
import dev.triage.host.firewall.IptablesRuleset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks the host's FORWARD chain (as the kernel would, through DOCKER-USER and Docker's chains)
 * for the first packet of the connection under test, in every iptables variant that holds rules,
 * and names the rule or policy that decides it. With {@code icc=false} the deciding rule may be
 * Docker's own inter-container DROP, which is a setting, not a firewall mistake.
 */
public final class ForwardRulesProbe implements Probe<ForwardRulesProbe.Evidence> {

    public record Evidence(String binary, String variant, String packet, String verdict, String decidedBy, String chain,
                           Integer position, String rule, List<String> ruleArgs, String decision, String forwardPolicy,
                           String trail, boolean dockerUserChain, boolean ruleSpecific, List<String> otherVariants,
                           List<String> uncertainRules, List<String> notes) { }

    @Override
    public String kind() { return "forward-rules"; }

    @Override
    public Set<String> fineOutcomes() { return Set.of("accepted"); }

    @Override
    public Set<String> outcomes() { return Set.of("blocked", "icc-disabled", "accepted", "unknown"); }

    @Override
    public Set<String> requiredParams() { return Set.of("in", "out"); }

    @Override
    public Set<String> optionalParams() { return Set.of("source", "destination", "protocol", "port", "icc"); }

    @Override
    public Class<Evidence> evidenceType() { return Evidence.class; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String packetText = params.get("protocol", "tcp") + " " + params.get("source", "?") + " -> "
                + params.get("destination", "?") + ":" + params.get("port", "?") + " in " + params.get("in") + " out " + params.get("out");
        List<IptablesBackend.Ruleset> sets = IptablesBackend.detect(context.host(),
                context.atLeast(Duration.ofMillis(300), Duration.ofMillis(200), "reading the firewall"));
        if (sets.isEmpty()) {
            return ProbeResult.of("unknown", new Evidence(null, null, packetText, null, null, null, null, null, List.of(),
                    null, null, null, false, false, List.of(), List.of(), List.of("no iptables binary on this host")),
                    "cannot read the firewall: iptables is not installed");
        }
        if (sets.stream().noneMatch(IptablesBackend.Ruleset::readable)) {
            // not a finding about the firewall: the test could not run (inconclusive, exit 2)
            String errors = String.join("; ", sets.stream().map(r -> r.binary() + ": " + r.error()).toList());
            throw new IllegalStateException("cannot read the firewall: " + errors
                    + (errors.toLowerCase().contains("permission") && !dev.triage.host.HostUser.isRoot() ? " (run triage as root)" : ""));
        }
        ForwardPacket packet = new ForwardPacket(params.get("in"), params.get("out"), blankToNull(params.get("source")),
                blankToNull(params.get("destination")), params.get("protocol", "tcp"),
                params.has("port") ? params.getInt("port", 0) : null);

        // Both variants filter every packet: the first that blocks decides, Docker's own variant first.
        IptablesBackend.Ruleset chosen = null;
        Decision decision = null;
        IptablesRuleset chosenRules = null;
        List<String> others = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (IptablesBackend.Ruleset set : sets) {
            if (!set.readable()) {
                notes.add(set.binary() + " could not be read: " + set.error());
                continue;
            }
            IptablesRuleset rules = IptablesRuleset.parse("filter", set.rules());
            Decision d = new ForwardEvaluator().evaluate(rules, packet);
            if (chosen == null || (d.blocked() && !decision.blocked())) {
                if (chosen != null) {
                    others.add(chosen.variant() + ": " + decision.describe());
                }
                chosen = set;
                decision = d;
                chosenRules = rules;
            } else if (set.filters()) {
                others.add(set.variant() + ": " + d.describe());
            }
        }
        if (sets.stream().filter(IptablesBackend.Ruleset::dockerChains).count() > 1) {
            notes.add("both iptables-legacy and iptables-nft hold Docker chains: two rule sets apply at once");
        }
        if (!chosen.dockerChains()) {
            notes.add("Docker's chains are not in " + chosen.binary() + ": Docker may run with iptables disabled or the nftables backend");
        }
        IptablesRule rule = decision.rule();
        Evidence e = new Evidence(chosen.binary(), chosen.variant(), packetText, decision.verdict().name(),
                decision.byPolicy() ? "policy" : "rule", decision.byPolicy() ? decision.policyChain() : rule.chain(),
                rule == null ? null : rule.position(), rule == null ? null : rule.spec(),
                rule == null ? List.of() : rule.tokens(), decision.describe(), chosenRules.policies().get("FORWARD"),
                decision.path(), chosenRules.hasChain("DOCKER-USER"), isSpecific(rule, params.get("in"), params.get("source")),
                List.copyOf(others),
                decision.uncertainRules().stream().map(IptablesRule::spec).toList(), List.copyOf(notes));
        String outcome = decision.blocked() ? "blocked" : chosen.dockerChains() ? "accepted" : "unknown";
        if (decision.blocked() && "false".equals(params.get("icc")) && isDockerIccRule(rule, params.get("in"), params.get("out"))) {
            outcome = "icc-disabled";
        }
        return ProbeResult.of(outcome, e, decision.describe() + " [" + chosen.binary() + ", " + chosen.variant() + "]");
    }

    /**
     * A rule aimed at this traffic (it names the bridge, a wildcard covering it, or a source range),
     * as opposed to a catch-all REJECT of the whole host whose deletion would open everything.
     */
    static boolean isSpecific(IptablesRule rule, String in, String source) {
        if (rule == null) {
            return false;
        }
        var i = rule.inInterface();
        if (i != null && !i.negated() && (i.value().equals(in)
                || (i.value().endsWith("+") && in.startsWith(i.value().substring(0, i.value().length() - 1))))) {
            return true;
        }
        var src = rule.source();
        return src != null && !src.negated() && source != null && !source.isEmpty();
    }

    /**
     * Docker's rule for enable_icc=false: {@code -A FORWARD -i BRIDGE -o BRIDGE -j DROP} up to 27,
     * the same words in its own DOCKER-FORWARD chain from 28.0.1 on.
     */
    static boolean isDockerIccRule(IptablesRule rule, String in, String out) {
        return rule != null && (rule.chain().equals("FORWARD") || rule.chain().equals("DOCKER-FORWARD"))
                && rule.tokens().equals(List.of("-i", in, "-o", out, "-j", "DROP"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
