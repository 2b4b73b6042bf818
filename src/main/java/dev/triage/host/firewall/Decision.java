package dev.triage.host.firewall;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Outcome of walking a chain for one packet.
 *
 * @param rule           the rule that decided, or null when a chain policy decided
 * @param policyChain    the built-in chain whose policy decided, or null when a rule decided
 * @param trail          rules that fired, in order, as {@code CHAIN#position}, ending with {@code CHAIN:policy} when the policy decided
 * @param uncertainRules rules that might have matched but contain matches the evaluator cannot decide
 *                       (treated as not matching), plus jumps cut off by the loop/depth guard
 */
public record Decision(Verdict verdict, IptablesRule rule, boolean byPolicy, String policyChain,
                       List<String> trail, List<IptablesRule> uncertainRules) {

    public enum Verdict { ACCEPT, DROP, REJECT }

    public Decision {
        trail = List.copyOf(trail);
        uncertainRules = List.copyOf(uncertainRules);
    }

    /** True when the packet does not get through (DROP or REJECT). */
    public boolean blocked() { return verdict != Verdict.ACCEPT; }

    public boolean certain() { return uncertainRules.isEmpty(); }

    /** The trail as one string, e.g. {@code FORWARD#1 -> DOCKER-USER#2}. */
    public String path() { return String.join(" -> ", trail); }

    /** Plain-English one-liner naming the deciding rule or policy, and any rule that might also apply. */
    public String describe() {
        String s = byPolicy
                ? verdict + " by policy of chain " + policyChain + (verdict == Verdict.ACCEPT
                        ? " (no rule dropped or rejected the packet)" : " (no rule accepted the packet)")
                : verdict + " by " + ref(rule);
        if (uncertainRules.isEmpty()) return s;
        return s + "; uncertain: " + uncertainRules.stream().map(Decision::ref).collect(Collectors.joining(", "))
                + " might also apply";
    }

    private static String ref(IptablesRule r) {
        return "rule '" + r.shortSpec() + "' (position " + r.position() + " in chain " + r.chain() + ")";
    }
}
