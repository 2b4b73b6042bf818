package dev.triage.host.firewall.nft;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.host.firewall.nft.NftDecision.Verdict;
import dev.triage.host.firewall.nft.NftMatcher.Tri;
import dev.triage.host.firewall.nft.NftRuleset.Chain;
import dev.triage.host.firewall.nft.NftRuleset.ChainRef;
import dev.triage.host.firewall.nft.NftRuleset.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks one packet through nftables the way the kernel does. On the forward hook every base chain
 * of every table of the packet's families runs in priority order: {@code accept} ends only that
 * base chain and the packet goes on to the next; {@code drop} and {@code reject} end everything;
 * {@code jump} returns, {@code goto} does not; a base chain that runs out applies its policy. On the
 * postrouting nat hook the first {@code masquerade} or {@code snat} decides.
 *
 * <p>An expression that cannot be decided ends the walk as {@link Verdict#UNKNOWN} naming it,
 * unless a later base chain blocks for certain (then the block is named and the undecided
 * expression noted). Rules whose only statements after it are counters or logs do not matter.
 */
public final class NftWalk {
    /** The kernel's jump stack is 16 deep; loops are refused when rules are loaded. */
    static final int MAX_DEPTH = 16;
    private static final Set<String> CONTINUING = Set.of("counter", "log", "limit", "quota", "mangle", "ct", "meta",
            "notrack", "flow", "set", "ct helper", "ct timeout", "ct expectation", "secmark", "tcp option", "dup", "synproxy");

    private final NftRuleset ruleset;
    private final Set<String> skipTables;

    /** @param skipTables "family table" names read another way (iptables-nft's own tables, read through iptables) */
    public NftWalk(NftRuleset ruleset, Set<String> skipTables) {
        this.ruleset = ruleset;
        this.skipTables = Set.copyOf(skipTables);
    }

    /** The forward hook: is the packet accepted by every filter base chain? */
    public NftDecision forward(NftPacket p) {
        return hook(p, "forward", "filter", false);
    }

    /** The postrouting nat hook: is the packet's source rewritten? */
    public NftDecision sourceNat(NftPacket p) {
        return hook(p, "postrouting", "nat", true);
    }

    private NftDecision hook(NftPacket p, String hook, String type, boolean nat) {
        List<String> families = p.ipv6() ? List.of("inet", "ip6") : List.of("inet", "ip");
        List<String> passed = new ArrayList<>();
        Outcome undecided = null;
        for (Chain base : ruleset.baseChains(hook, type, families)) {
            if (skipTables.contains(base.ref().tableName())) {
                continue;
            }
            Run run = new Run(p, nat);
            Outcome o = run.chain(base.ref(), 0);
            if (o != null && o.verdict == Verdict.TRANSLATED) {
                return decision(o, base, passed, undecided, p);
            }
            String name = base.ref().tableName() + " " + base.ref().name();
            if (o == null || o.verdict == Verdict.ACCEPT && nat) {
                // ran out (or, in a nat chain, accepted without a mapping): the policy, then the next base chain
                String policy = base.policy() == null ? "accept" : base.policy();
                if (policy.equals("drop")) {
                    return decision(new Outcome(Verdict.DROP, null, List.of(base.ref().name()), null), base, passed, undecided, p);
                }
                passed.add(name + ": " + (o == null ? "policy accept" : "accept by rule " + o.rule.handle()));
                continue;
            }
            switch (o.verdict) {
                case ACCEPT -> passed.add(name + ": accept by rule " + o.rule.handle());
                case UNKNOWN -> {
                    if (undecided == null) {
                        undecided = o;
                    }
                    passed.add(name + ": undecided");
                }
                default -> {
                    return decision(o, base, passed, undecided, p);
                }
            }
        }
        if (undecided != null) {
            return new NftDecision(Verdict.UNKNOWN, undecided.rule == null ? null : undecided.rule.chain().tableName(),
                    undecided.rule == null ? null : undecided.rule.chain().name(),
                    undecided.rule == null ? null : undecided.rule.handle(),
                    undecided.rule == null ? null : NftText.rule(undecided.rule.expr()),
                    undecided.rule == null ? null : undecided.rule.comment(), undecided.path, null,
                    undecided.expression, passed, false);
        }
        return new NftDecision(nat ? Verdict.NOT_TRANSLATED : Verdict.ACCEPT, null, null, null, null, null, List.of(), null,
                null, passed, false);
    }

    private static NftDecision decision(Outcome o, Chain base, List<String> passed, Outcome undecided, NftPacket p) {
        Rule r = o.rule;
        return new NftDecision(o.verdict, base.ref().tableName(), r == null ? base.ref().name() : r.chain().name(),
                r == null ? null : r.handle(), r == null ? null : NftText.rule(r.expr()), r == null ? null : r.comment(),
                o.path, base.ref().name(), undecided == null ? null : undecided.expression, passed, r != null && aimsAt(r, p));
    }

    /** The rule names the packet's incoming or outgoing interface (or a wildcard covering it), or an address. */
    static boolean aimsAt(Rule r, NftPacket p) {
        for (JsonNode e : r.expr()) {
            JsonNode m = e.get("match");
            if (m == null || !m.path("op").asText("==").equals("==") || !m.path("right").isTextual()) {
                continue;
            }
            String key = m.path("left").path("meta").path("key").asText("");
            String field = m.path("left").path("payload").path("field").asText("");
            String right = m.path("right").asText();
            String iface = key.startsWith("iif") ? p.iifname() : key.startsWith("oif") ? p.oifname() : null;
            if (iface != null && !right.equals("*")
                    && (right.equals(iface) || right.endsWith("*") && iface.startsWith(right.substring(0, right.length() - 1)))) {
                return true;
            }
            if (field.equals("saddr") || field.equals("daddr")) {
                return true;
            }
        }
        return false;
    }

    /** @param rule the rule that decided, null for a policy; @param expression what could not be decided */
    private record Outcome(Verdict verdict, Rule rule, List<String> path, String expression) { }

    /** A return from a chain (end of chain or {@code return}): the caller goes on with its next rule. */
    private static final Outcome RETURNED = null;

    private final class Run {
        final NftPacket p;
        final boolean nat;
        final List<String> path = new ArrayList<>();

        Run(NftPacket p, boolean nat) {
            this.p = p;
            this.nat = nat;
        }

        /** Null when the chain returns to its caller; else the verdict it reached. */
        Outcome chain(ChainRef ref, int depth) {
            path.add(ref.name());
            try {
                NftMatcher m = new NftMatcher(ruleset, p, ref.family(), ref.table());
                for (Rule r : ruleset.rules(ref)) {
                    Step s = rule(r, m, depth);
                    if (s == Step.NEXT_RULE) {
                        continue;
                    }
                    if (s == Step.RETURN) {
                        return RETURNED;
                    }
                    return s.outcome;
                }
                return RETURNED;
            } finally {
                path.remove(path.size() - 1);
            }
        }

        /** Runs one rule's statements left to right. */
        Step rule(Rule r, NftMatcher m, int depth) {
            JsonNode exprs = r.expr();
            for (int i = 0; i < exprs.size(); i++) {
                JsonNode e = exprs.get(i);
                String key = e.fieldNames().hasNext() ? e.fieldNames().next() : "";
                switch (key) {
                    case "match" -> {
                        Tri t = m.match(e.get("match"));
                        if (t == Tri.NO) {
                            return Step.NEXT_RULE;
                        }
                        if (t == Tri.UNKNOWN) {
                            // a later match that certainly fails makes this one irrelevant
                            for (int j = i + 1; j < exprs.size() && exprs.get(j).has("match"); j++) {
                                if (m.match(exprs.get(j).get("match")) == Tri.NO) {
                                    return Step.NEXT_RULE;
                                }
                            }
                            return decides(exprs, i + 1) ? Step.of(unknown(r, NftText.expr(e))) : Step.NEXT_RULE;
                        }
                    }
                    case "accept" -> {
                        return Step.of(new Outcome(Verdict.ACCEPT, r, withRule(r), null));
                    }
                    case "drop" -> {
                        return Step.of(new Outcome(Verdict.DROP, r, withRule(r), null));
                    }
                    case "reject" -> {
                        return Step.of(new Outcome(Verdict.REJECT, r, withRule(r), null));
                    }
                    case "masquerade", "snat" -> {
                        if (nat) {
                            return Step.of(new Outcome(Verdict.TRANSLATED, r, withRule(r), null));
                        }
                        return Step.of(unknown(r, key + " outside a nat chain"));
                    }
                    case "return" -> {
                        return Step.RETURN;
                    }
                    case "continue" -> {
                        return Step.NEXT_RULE;
                    }
                    case "jump", "goto" -> {
                        return jump(r, e.get(key).path("target").asText(), key.equals("goto"), m, depth);
                    }
                    case "vmap" -> {
                        JsonNode vmap = e.get("vmap");
                        NftMatcher.Value v = m.value(vmap.path("key"));
                        if (v instanceof NftMatcher.Absent) {
                            return Step.NEXT_RULE;
                        }
                        if (v instanceof NftMatcher.Undecidable) {
                            return Step.of(unknown(r, NftText.expr(e)));
                        }
                        JsonNode verdict = lookup(vmap.path("data"), (NftMatcher.Known) v, m, r);
                        if (verdict == null) {
                            return Step.NEXT_RULE; // no element matched: the rule ends, the chain goes on
                        }
                        if (verdict.isMissingNode()) {
                            return Step.of(unknown(r, NftText.expr(e)));
                        }
                        return verdictOf(r, verdict, m, depth);
                    }
                    default -> {
                        if (CONTINUING.contains(key)) {
                            continue;
                        }
                        // xt (iptables extensions), queue, dnat/redirect, tproxy, fwd...: not followed
                        return decides(exprs, i) ? Step.of(unknown(r, NftText.expr(e))) : Step.NEXT_RULE;
                    }
                }
            }
            return Step.NEXT_RULE;
        }

        Step verdictOf(Rule r, JsonNode verdict, NftMatcher m, int depth) {
            String key = verdict.fieldNames().hasNext() ? verdict.fieldNames().next() : "";
            return switch (key) {
                case "accept" -> Step.of(new Outcome(Verdict.ACCEPT, r, withRule(r), null));
                case "drop" -> Step.of(new Outcome(Verdict.DROP, r, withRule(r), null));
                case "reject" -> Step.of(new Outcome(Verdict.REJECT, r, withRule(r), null));
                case "return" -> Step.RETURN;
                case "continue" -> Step.NEXT_RULE;
                case "jump", "goto" -> jump(r, verdict.get(key).path("target").asText(), key.equals("goto"), m, depth);
                default -> Step.of(unknown(r, "verdict " + key));
            };
        }

        Step jump(Rule r, String target, boolean isGoto, NftMatcher m, int depth) {
            ChainRef to = new ChainRef(r.chain().family(), r.chain().table(), target);
            if (depth + 1 >= MAX_DEPTH || path.contains(target) || ruleset.chain(to).isEmpty()) {
                return Step.of(unknown(r, (isGoto ? "goto " : "jump ") + target + " (cannot be followed)"));
            }
            Outcome o = chain(to, depth + 1);
            if (o != null) {
                return Step.of(o); // its path already runs from the base chain to the deciding rule
            }
            return isGoto ? Step.RETURN : Step.NEXT_RULE;
        }

        /** The verdict a map gives the packet's value: null when no element holds it, missing when undecided. */
        JsonNode lookup(JsonNode data, NftMatcher.Known v, NftMatcher m, Rule r) {
            Iterable<JsonNode> elements;
            if (data.isTextual() && data.asText().startsWith("@")) {
                var set = ruleset.set(r.chain().family(), r.chain().table(), data.asText().substring(1));
                if (set.isEmpty()) {
                    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
                }
                elements = set.get().elements();
            } else {
                elements = data.path("set");
            }
            boolean unsure = false;
            for (JsonNode pair : elements) {
                JsonNode k = pair.isArray() ? pair.get(0) : pair.path("elem").path("val");
                JsonNode val = pair.isArray() ? pair.get(1) : pair.path("data");
                Tri t = m.element(k, v);
                if (t == Tri.YES) {
                    return unsure ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : val;
                }
                if (t == Tri.UNKNOWN) {
                    unsure = true;
                }
            }
            return unsure ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : null;
        }

        Outcome unknown(Rule r, String expression) {
            return new Outcome(Verdict.UNKNOWN, r, withRule(r), expression);
        }

        /** The chains from the base chain down to the one holding {@code r}. */
        List<String> withRule(Rule r) {
            return List.copyOf(path);
        }
    }

    /** Whether the statements from {@code from} on can end or redirect the walk (not only count or log). */
    static boolean decides(JsonNode exprs, int from) {
        for (int i = from; i < exprs.size(); i++) {
            String key = exprs.get(i).fieldNames().hasNext() ? exprs.get(i).fieldNames().next() : "";
            if (!key.equals("match") && !CONTINUING.contains(key)) {
                return true;
            }
        }
        return false;
    }

    private static final class Step {
        static final Step NEXT_RULE = new Step(null);
        static final Step RETURN = new Step(null);
        final Outcome outcome;

        private Step(Outcome outcome) {
            this.outcome = outcome;
        }

        static Step of(Outcome o) {
            return new Step(o);
        }
    }
}
