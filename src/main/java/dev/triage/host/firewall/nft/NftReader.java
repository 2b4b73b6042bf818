package dev.triage.host.firewall.nft;

import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads the whole native ruleset once, with {@code nft -j list ruleset}, within a time limit. */
public final class NftReader {
    /** iptables-nft keeps its tables under these names; the iptables walk reads them already. */
    public static final Set<String> IPTABLES_NFT_FILTER = Set.of("ip filter", "ip6 filter");
    public static final Set<String> IPTABLES_NFT_NAT = Set.of("ip nat", "ip6 nat");

    private NftReader() { }

    /** @param ruleset null when it could not be read; @param error why, in words */
    public record Result(NftRuleset ruleset, String error) {
        public boolean readable() {
            return ruleset != null;
        }
    }

    /** Empty when nft is not installed; otherwise the ruleset or why it could not be read. */
    public static Optional<Result> read(HostSystem host, Duration limit) {
        if (host.which("nft").isEmpty()) {
            return Optional.empty();
        }
        CommandResult r = host.run(limit, "nft", "-j", "list", "ruleset");
        if (!r.ok()) {
            String err = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
            String first = err.lines().findFirst().orElse("");
            return Optional.of(new Result(null, r.timedOut() ? "nft did not answer in time"
                    : "nft -j list ruleset failed: " + first
                    + ((first.toLowerCase().contains("permission") || first.toLowerCase().contains("operation not permitted"))
                            && !dev.triage.host.HostUser.isRoot() ? " (run triage as root)" : "")));
        }
        try {
            return Optional.of(new Result(NftRuleset.parse(r.stdout()), null));
        } catch (IllegalArgumentException e) {
            return Optional.of(new Result(null, e.getMessage()));
        }
    }
}
