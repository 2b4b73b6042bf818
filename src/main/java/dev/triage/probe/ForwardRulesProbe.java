package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.host.IptablesBackend;
import dev.triage.host.firewall.Decision;
import dev.triage.host.firewall.ForwardEvaluator;
import dev.triage.host.firewall.ForwardPacket;
import dev.triage.host.firewall.IptablesRule;
import dev.triage.host.firewall.IptablesRuleset;
import dev.triage.host.firewall.nft.NftDecision;
import dev.triage.host.firewall.nft.NftPacket;
import dev.triage.host.firewall.nft.NftReader;
import dev.triage.host.firewall.nft.NftWalk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Walks the host's FORWARD chain (as the kernel would, through DOCKER-USER and Docker's chains)
 * for the first packet of the connection under test, in every iptables variant that holds rules,
 * and names the rule or policy that decides it. With {@code icc=false} the deciding rule may be
 * Docker's own inter-container DROP, which is a setting, not a firewall mistake.
 *
 * <p>Then the same packet goes through every native nftables table on the forward hook (OpenWrt's
 * fw4, firewalld, Docker 29's nftables backend, an admin's own), which {@code iptables -S} never
 * shows. iptables-nft's own tables are read once, through iptables. {@code walk} says which of the
 * two decided.
 */
public final class ForwardRulesProbe implements Probe<ForwardRulesProbe.Evidence> {

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Ruleset ruleset, String packet, @JsonUnwrapped Found found,
                           @JsonUnwrapped Chains chains, List<String> otherVariants, List<String> uncertainRules,
                           List<String> notes, @JsonUnwrapped FixTarget fixTarget, Nft nft) {
        public Evidence {
            ruleset = ruleset == null ? Ruleset.NONE : ruleset;
            found = found == null ? Found.NONE : found;
            chains = chains == null ? Chains.NONE : chains;
            fixTarget = fixTarget == null ? FixTarget.of(nft) : fixTarget;
        }

        /** The walk that decided and what a fix changes follow from the nftables walk. */
        Evidence(Ruleset ruleset, String packet, Found found, Chains chains, List<String> otherVariants,
                 List<String> uncertainRules, List<String> notes, Nft nft) {
            this(ruleset, packet, found, chains, otherVariants, uncertainRules, notes, FixTarget.of(nft), nft);
        }
    }

    /** The ruleset that decided: an iptables binary and its variant, or nftables. */
    public record Ruleset(String binary, String variant) {
        static final Ruleset NONE = new Ruleset(null, null);
        static final Ruleset NFT = new Ruleset("nft", "nftables");
    }

    /** What decided (a rule, at its chain and position, or a chain's policy) and the decision in words. */
    public record Found(String verdict, String decidedBy, String chain, Integer position, String rule,
                        List<String> ruleArgs, String decision) {
        static final Found NONE = none(null, null);

        /** No rule or policy to name, only the verdict (if any) and the decision in words. */
        static Found none(String verdict, String decision) {
            return new Found(verdict, null, null, null, null, List.of(), decision);
        }
    }

    /** Around the decision: FORWARD's policy, the chains walked, DOCKER-USER, a rule aimed at this traffic. */
    public record Chains(String forwardPolicy, String trail, boolean dockerUserChain, boolean ruleSpecific) {
        static final Chains NONE = new Chains(null, null, false, false);
    }

    /**
     * {@code walk} says which walk decided ("iptables" or "nftables"); the nft fields name the
     * table, base chain and rule handle a fix changes when nftables decided.
     */
    public record FixTarget(String walk, String nftFamily, String nftTable, String nftBaseChain, Long nftHandle) {
        static FixTarget of(Nft nft) {
            return nft == null || !nft.decided() ? new FixTarget("iptables", null, null, null, null)
                    : new FixTarget("nftables", nft.family(), nft.tableName(), nft.baseChain(), nft.handle());
        }
    }

    /**
     * The native nftables walk. {@code table} is "family name"; {@code family}, {@code tableName},
     * {@code baseChain} and {@code handle} are what a fix needs to change that table.
     */
    public record Nft(boolean decided, String verdict, String decision, String table, String family, String tableName,
                      String chain, String baseChain, Long handle, String rule, String comment, String path,
                      String undecided, List<String> tables, String error, boolean specific) {
        /** Not walked to a decision: why, in words, and the tables it would have walked. */
        static Nft notWalked(String decision, String undecided, List<String> tables, String error) {
            return new Nft(false, null, decision, null, null, null, null, null, null, null, null, null, undecided, tables,
                    error, false);
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("forward-rules", Evidence.class)
            .outcomes("blocked", "icc-disabled", "accepted", "unknown")
            .fine("accepted")
            .requires("in", "out")
            .optional("source", "destination", "protocol", "port", "icc");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String packetText = params.get("protocol", "tcp") + " " + params.get("source", "?") + " -> "
                + params.get("destination", "?") + ":" + params.get("port", "?") + " in " + params.get("in") + " out " + params.get("out");
        Duration limit = context.atLeast(Duration.ofMillis(300), Duration.ofMillis(200), "reading the firewall");
        List<IptablesBackend.Ruleset> sets = IptablesBackend.detect(context.host(), limit);
        Optional<NftReader.Result> nftRead = NftReader.read(context.host(), context.remaining(Duration.ofMillis(100)));
        boolean nftReadable = nftRead.map(NftReader.Result::readable).orElse(false);
        if (sets.isEmpty() && nftRead.isEmpty()) {
            return ProbeResult.of("unknown", new Evidence(Ruleset.NONE, packetText, Found.NONE, Chains.NONE, List.of(), List.of(),
                    List.of("neither iptables nor nft is installed on this host"), null),
                    "cannot read the firewall: neither iptables nor nft is installed");
        }
        if (sets.stream().noneMatch(IptablesBackend.Ruleset::readable) && !nftReadable) {
            // not a finding about the firewall: the test could not run (inconclusive, exit 2)
            List<String> errors = new ArrayList<>(sets.stream().map(r -> r.binary() + ": " + r.error()).toList());
            nftRead.ifPresent(r -> errors.add(r.error()));
            String all = String.join("; ", errors);
            throw new IllegalStateException("cannot read the firewall: " + all
                    + (all.toLowerCase().contains("permission") && !all.contains("run triage as root")
                            && !dev.triage.host.HostUser.isRoot() ? " (run triage as root)" : ""));
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
        Set<String> readThroughIptables = new HashSet<>();
        for (IptablesBackend.Ruleset set : sets) {
            if (!set.readable()) {
                notes.add(set.binary() + " could not be read: " + set.error());
                continue;
            }
            if (set.variant().equals("nf_tables")) {
                readThroughIptables.addAll(NftReader.IPTABLES_NFT_FILTER);
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
        if (chosen != null && !chosen.dockerChains()) {
            notes.add("Docker's chains are not in " + chosen.binary() + ": Docker may run with iptables disabled or the nftables backend");
        }
        Nft nft = nftWalk(nftRead, packet, params, readThroughIptables, notes);
        boolean iptablesBlocks = decision != null && decision.blocked();
        if (!iptablesBlocks && nft != null && nft.decided()) {
            Evidence e = new Evidence(Ruleset.NFT, packetText, new Found(nft.verdict(), nft.handle() == null ? "policy" : "rule",
                    nft.chain(), null, nft.rule(), List.of(), nft.decision()),
                    new Chains(chosenRules == null ? null : chosenRules.policies().get("FORWARD"), nft.path(),
                            chosenRules != null && chosenRules.hasChain("DOCKER-USER"), nft.specific()),
                    List.copyOf(others), List.of(), List.copyOf(notes), nft);
            return ProbeResult.of("blocked", e, nft.decision());
        }
        if (decision == null) {
            // no readable iptables: nftables alone decides
            String outcome = nft != null && nft.undecided() == null && nft.error() == null ? "accepted" : "unknown";
            Evidence e = new Evidence(Ruleset.NFT, packetText, Found.none(nft == null ? null : nft.verdict(),
                    nft == null ? "nftables could not be read" : nft.decision()),
                    new Chains(null, nft == null ? null : nft.path(), false, false), List.copyOf(others), List.of(),
                    List.copyOf(notes), nft);
            return ProbeResult.of(outcome, e, e.found().decision());
        }
        IptablesRule rule = decision.rule();
        String described = decision.describe() + (nft != null && !iptablesBlocks ? "; " + nft.decision() : "");
        Evidence e = new Evidence(new Ruleset(chosen.binary(), chosen.variant()), packetText, new Found(decision.verdict().name(),
                decision.byPolicy() ? "policy" : "rule", decision.byPolicy() ? decision.policyChain() : rule.chain(),
                rule == null ? null : rule.position(), rule == null ? null : rule.spec(),
                rule == null ? List.of() : rule.tokens(), described),
                new Chains(chosenRules.policies().get("FORWARD"), decision.path(), chosenRules.hasChain("DOCKER-USER"),
                        isSpecific(rule, params.get("in"), params.get("source"))),
                List.copyOf(others), decision.uncertainRules().stream().map(IptablesRule::spec).toList(), List.copyOf(notes), nft);
        String outcome = decision.blocked() ? "blocked"
                : nft != null && (nft.undecided() != null || nft.error() != null) ? "unknown"
                : chosen.dockerChains() || nft != null ? "accepted" : "unknown";
        if (decision.blocked() && "false".equals(params.get("icc")) && isDockerIccRule(rule, params.get("in"), params.get("out"))) {
            outcome = "icc-disabled";
        }
        return ProbeResult.of(outcome, e, described + " [" + chosen.binary() + ", " + chosen.variant() + "]");
    }

    /** The native nftables walk of the same packet, or null when nft is not installed. */
    private Nft nftWalk(Optional<NftReader.Result> read, ForwardPacket p, ProbeParams params, Set<String> skip, List<String> notes) {
        if (read.isEmpty()) {
            return null;
        }
        if (!read.get().readable()) {
            notes.add(read.get().error());
            return Nft.notWalked("nftables could not be read: " + read.get().error(), null, List.of(), read.get().error());
        }
        var ruleset = read.get().ruleset();
        List<String> walked = ruleset.tables().stream().filter(t -> !skip.contains(t)).toList();
        NftPacket packet;
        try {
            packet = new NftPacket(p.destination() != null && p.destination().contains(":"), p.inInterface(), p.outInterface(),
                    p.source(), p.destination(), p.protocol(), p.dport());
        } catch (IllegalArgumentException e) {
            return Nft.notWalked("nftables not walked: " + e.getMessage(), e.getMessage(), walked, null);
        }
        NftDecision d = new NftWalk(ruleset, skip).forward(packet);
        return new Nft(d.blocked(), d.verdict().name(), d.describe(), d.table(), d.family(), d.tableName(), d.chain(),
                d.baseChain(), d.handle(), d.rule(), d.comment(), d.path().isEmpty() ? null : String.join(" -> ", d.path()),
                d.undecided(), walked, null, d.specific());
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
