package dev.triage.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rule sets of the host. Both variants (legacy and nf_tables) can hold rules at once
 * and both filter every packet, so each readable one is returned; Docker's own is the one holding
 * its chains (the legacy-vs-nft mismatch of the incidents shows up as rules in the other).
 */
public final class IptablesBackend {
    // plain "iptables" first: the name admins type, when it is the variant holding the rules
    private static final List<String> CANDIDATES = List.of("iptables", "iptables-nft", "iptables-legacy");

    private IptablesBackend() { }

    /** One variant's filter table as {@code iptables -S} prints it; {@code rules} null when it could not be read. */
    public record Ruleset(String binary, String variant, String rules, boolean dockerChains, String error) {
        public boolean readable() {
            return rules != null;
        }

        /** Any rule or a non-ACCEPT policy: an empty ACCEPT-everything table changes nothing. */
        public boolean filters() {
            return rules != null && rules.lines().anyMatch(l -> l.startsWith("-A ")
                    || (l.startsWith("-P ") && !l.endsWith(" ACCEPT")));
        }
    }

    /** Every variant present, at most once each, Docker's first. Empty when there is no iptables at all. */
    public static List<Ruleset> detect(HostSystem host, Duration limit) {
        return detect(host, limit, "filter");
    }

    /** The same for another table (nat for source NAT). Docker's chains are looked for in that table. */
    public static List<Ruleset> detect(HostSystem host, Duration limit, String table) {
        List<Ruleset> found = new ArrayList<>();
        for (String candidate : CANDIDATES) {
            if (host.which(candidate).isEmpty()) {
                continue;
            }
            String variant = variant(host, candidate, limit);
            if (found.stream().anyMatch(r -> r.variant().equals(variant))) {
                continue; // "iptables" is one of the two
            }
            CommandResult r = host.run(limit, candidate, "-t", table, "-S");
            if (!r.ok()) {
                found.add(new Ruleset(candidate, variant, null, false, firstLine(r.stderr().isBlank() ? r.stdout() : r.stderr())));
                continue;
            }
            boolean docker = r.stdout().lines().anyMatch(l -> l.equals("-N DOCKER") || l.equals("-N DOCKER-USER"));
            // in nat, Docker's chain is DOCKER; its MASQUERADE rules sit in POSTROUTING
            found.add(new Ruleset(candidate, variant, r.stdout(), docker, null));
        }
        found.sort((a, b) -> Boolean.compare(b.dockerChains(), a.dockerChains()));
        return found;
    }

    /** "nf_tables" or "legacy", from the binary's name or "iptables v1.8.9 (nf_tables)". */
    static String variant(HostSystem host, String binary, Duration limit) {
        if (binary.endsWith("-legacy")) {
            return "legacy";
        }
        if (binary.endsWith("-nft")) {
            return "nf_tables";
        }
        CommandResult r = host.run(limit, binary, "--version");
        String out = r.stdout() + r.stderr();
        return out.contains("nf_tables") ? "nf_tables" : out.contains("legacy") ? "legacy" : "unknown";
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }
}
