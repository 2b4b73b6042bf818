package dev.triage.host.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks the nat table's POSTROUTING chain for the first packet of an outgoing connection and says
 * whether its source address is rewritten (MASQUERADE or SNAT) and by which rule. Without it, a
 * reply to a container's private address never finds its way back.
 */
public final class SourceNatEvaluator {
    private static final Set<String> TERMINAL = Set.of("MASQUERADE", "SNAT", "ACCEPT");

    /** @param target MASQUERADE or SNAT when the source is rewritten, else null (rule ACCEPT or the chain's end) */
    public record NatDecision(String target, IptablesRule rule, List<String> trail, List<IptablesRule> uncertainRules) {
        public boolean translated() {
            return target != null;
        }

        public String describe() {
            String s = translated()
                    ? target + " by rule '" + rule.shortSpec() + "' (position " + rule.position() + " in chain " + rule.chain() + ")"
                    : rule != null ? "no source NAT: rule '" + rule.shortSpec() + "' stops the chain first"
                    : "no source NAT: no POSTROUTING rule rewrites this source";
            return uncertainRules.isEmpty() ? s : s + "; uncertain: " + uncertainRules.stream().map(IptablesRule::shortSpec).toList();
        }
    }

    public NatDecision evaluate(IptablesRuleset nat, ForwardPacket p) {
        ForwardEvaluator.Walk w = new ForwardEvaluator.Walk(nat, p, TERMINAL);
        IptablesRule r = w.run("POSTROUTING");
        List<IptablesRule> uncertain = new ArrayList<>(w.uncertain);
        if (r == null || r.target().equals("ACCEPT")) {
            return new NatDecision(null, r, w.trail, uncertain);
        }
        return new NatDecision(r.target(), r, w.trail, uncertain);
    }
}
