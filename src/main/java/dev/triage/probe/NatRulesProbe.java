package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.host.IptablesBackend;
import dev.triage.host.firewall.ForwardPacket;
import dev.triage.host.firewall.IptablesRule;
import dev.triage.host.firewall.IptablesRuleset;
import dev.triage.host.firewall.SourceNatEvaluator;
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
 * Is the source of a container's outgoing connection rewritten on its way out (MASQUERADE or SNAT
 * in nat POSTROUTING), in any iptables variant? Without it, replies to the container's private
 * address never find their way back: the client hangs. Native nftables tables on the postrouting
 * nat hook (OpenWrt fw4's srcnat, Docker 29's nftables backend) are walked too.
 */
public final class NatRulesProbe implements Probe<NatRulesProbe.Evidence> {

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Ruleset ruleset, String packet, @JsonUnwrapped Found found, List<String> notes,
                           String nftDecision) {
        public Evidence {
            ruleset = ruleset == null ? Ruleset.NONE : ruleset;
            found = found == null ? Found.NONE : found;
        }
    }

    /** The ruleset that decided: an iptables binary and its variant, or nftables. */
    public record Ruleset(String binary, String variant) {
        static final Ruleset NONE = new Ruleset(null, null);
        static final Ruleset NFT = new Ruleset("nft", "nftables");
    }

    /** The rule that translates the packet (or none), the decision in words and the chains walked. */
    public record Found(String target, String rule, String decision, String trail, List<String> uncertainRules) {
        static final Found NONE = new Found(null, null, null, null, List.of());

        /** No rule found, only what was decided and the way there. */
        static Found none(String decision, String trail) {
            return new Found(null, null, decision, trail, List.of());
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("nat-rules", Evidence.class)
            .outcomes("translated", "missing", "unknown")
            .fine("translated")
            .requires("source", "out")
            .optional("in", "destination", "protocol", "port");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String packetText = params.get("protocol", "tcp") + " " + params.get("source") + " -> " + params.get("destination", "?")
                + ":" + params.get("port", "?") + " out " + params.get("out");
        List<IptablesBackend.Ruleset> sets = IptablesBackend.detect(context.host(),
                context.atLeast(Duration.ofMillis(300), Duration.ofMillis(200), "reading the nat table"), "nat");
        Optional<NftReader.Result> nftRead = NftReader.read(context.host(), context.remaining(Duration.ofMillis(100)));
        boolean nftReadable = nftRead.map(NftReader.Result::readable).orElse(false);
        if (sets.stream().noneMatch(IptablesBackend.Ruleset::readable) && !nftReadable) {
            if (sets.isEmpty() && nftRead.isEmpty()) {
                return ProbeResult.of("unknown", new Evidence(Ruleset.NONE, packetText, Found.NONE,
                        List.of("neither iptables nor nft is installed on this host"), null),
                        "cannot read the nat table: neither iptables nor nft is installed");
            }
            List<String> errors = new ArrayList<>(sets.stream().map(r -> r.binary() + ": " + r.error()).toList());
            nftRead.ifPresent(r -> errors.add(r.error()));
            throw new IllegalStateException("cannot read the nat table: " + String.join("; ", errors));
        }
        ForwardPacket packet = new ForwardPacket(blank(params.get("in")), params.get("out"), params.get("source"),
                blank(params.get("destination")), params.get("protocol", "tcp"), params.has("port") ? params.getInt("port", 0) : null);
        List<String> notes = new ArrayList<>();
        SourceNatEvaluator.NatDecision best = null;
        IptablesBackend.Ruleset bestSet = null;
        Set<String> readThroughIptables = new HashSet<>();
        for (IptablesBackend.Ruleset set : sets) {
            if (!set.readable()) {
                notes.add(set.binary() + " could not be read: " + set.error());
                continue;
            }
            if (set.variant().equals("nf_tables")) {
                readThroughIptables.addAll(NftReader.IPTABLES_NFT_NAT);
            }
            SourceNatEvaluator.NatDecision d = new SourceNatEvaluator().evaluate(IptablesRuleset.parse("nat", set.rules()), packet);
            if (best == null || (d.translated() && !best.translated())) {
                best = d;
                bestSet = set;
            }
        }
        NftDecision nft = null;
        if (nftReadable) {
            try {
                nft = new NftWalk(nftRead.get().ruleset(), readThroughIptables).sourceNat(new NftPacket(false,
                        packet.inInterface(), packet.outInterface(), packet.source(), packet.destination(), packet.protocol(),
                        packet.dport()));
            } catch (IllegalArgumentException e) {
                notes.add("nftables not walked: " + e.getMessage());
            }
        } else {
            nftRead.ifPresent(r -> notes.add(r.error()));
        }
        boolean dockerInIptables = sets.stream().anyMatch(IptablesBackend.Ruleset::dockerChains);
        boolean iptablesTranslates = best != null && best.translated() && best.uncertainRules().isEmpty();
        if (!iptablesTranslates && nft != null && nft.verdict() == NftDecision.Verdict.TRANSLATED) {
            Evidence e = new Evidence(Ruleset.NFT, packetText, new Found("MASQUERADE or SNAT", nft.rule(), nft.describe(),
                    String.join(" -> ", nft.path()), List.of()), notes, nft.describe());
            return ProbeResult.of("translated", e, nft.describe());
        }
        if (best == null) {
            String outcome = nft != null && nft.verdict() == NftDecision.Verdict.NOT_TRANSLATED ? "missing" : "unknown";
            Evidence e = new Evidence(Ruleset.NFT, packetText, Found.none(nft == null ? "nftables could not be walked"
                    : nft.describe(), nft == null ? null : String.join(" -> ", nft.path())), notes, nft == null ? null : nft.describe());
            return ProbeResult.of(outcome, e, e.found().decision());
        }
        IptablesRule rule = best.rule();
        String described = best.describe() + (nft == null ? "" : "; " + nft.describe());
        if (!dockerInIptables && nft == null) {
            notes.add("Docker's chains are not in the iptables nat table: its NAT (nftables backend, OpenWrt fw4) is not visible here");
        }
        Evidence e = new Evidence(new Ruleset(bestSet.binary(), bestSet.variant()), packetText, new Found(best.target(),
                rule == null ? null : rule.spec(), described, String.join(" -> ", best.trail()),
                best.uncertainRules().stream().map(IptablesRule::spec).toList()), notes, nft == null ? null : nft.describe());
        // not seen in iptables is "missing" only where Docker keeps its NAT in iptables, or nftables was walked too;
        // a rule before it that might have matched (an ipsec policy ACCEPT, say) leaves the answer open
        boolean nftSaysNone = nft != null && nft.verdict() == NftDecision.Verdict.NOT_TRANSLATED;
        String outcome = best.translated() ? (best.uncertainRules().isEmpty() ? "translated" : "unknown")
                : best.uncertainRules().isEmpty() && (dockerInIptables || nftSaysNone) && (nft == null || nftSaysNone)
                ? "missing" : "unknown";
        return ProbeResult.of(outcome, e, described + " [" + bestSet.binary() + "]");
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
