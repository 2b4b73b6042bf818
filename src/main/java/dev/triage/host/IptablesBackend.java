package dev.triage.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which iptables binary holds Docker's rules. Docker writes through whichever iptables it was
 * started with; a host whose "iptables" points to the other variant shows an empty or misleading
 * ruleset (the legacy-vs-nft mismatch of the incidents).
 */
public record IptablesBackend(String binary, String variant, String filterRules, List<String> binariesWithDockerChains,
                              List<String> notes) {

    private static final List<String> CANDIDATES = List.of("iptables", "iptables-nft", "iptables-legacy");

    /** False when the rules could not be listed (see {@link #notes()}). */
    public boolean readable() {
        return filterRules != null;
    }

    public boolean dockerChainsFound() {
        return !binariesWithDockerChains.isEmpty();
    }

    /** Reads the filter table with each available binary and picks the one that holds Docker's chains. */
    public static Optional<IptablesBackend> detect(HostSystem host, Duration limit) {
        List<String> withDocker = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String chosen = null;
        String chosenRules = null;
        String fallback = null;
        String fallbackRules = null;
        for (String candidate : CANDIDATES) {
            if (host.which(candidate).isEmpty()) {
                continue;
            }
            CommandResult r = host.run(limit, candidate, "-t", "filter", "-S");
            if (!r.ok()) {
                notes.add(candidate + " -S failed: " + firstLine(r.stderr()));
                continue;
            }
            if (fallback == null) {
                fallback = candidate;
                fallbackRules = r.stdout();
            }
            if (r.stdout().lines().anyMatch(l -> l.equals("-N DOCKER") || l.equals("-N DOCKER-USER"))) {
                String variant = variant(host, candidate, limit);
                if (withDocker.stream().noneMatch(b -> variant(host, b, limit).equals(variant))) {
                    withDocker.add(candidate);
                }
                if (chosen == null) {
                    chosen = candidate;
                    chosenRules = r.stdout();
                }
            }
        }
        if (fallback == null) {
            if (notes.isEmpty()) {
                return Optional.empty(); // no iptables at all
            }
            // binaries exist but none could list the rules: say why (usually not root)
            return Optional.of(new IptablesBackend(CANDIDATES.stream().filter(c -> host.which(c).isPresent()).findFirst().orElse("iptables"),
                    "unknown", null, List.of(), List.copyOf(notes)));
        }
        if (withDocker.size() > 1) {
            notes.add("both iptables-legacy and iptables-nft hold Docker chains: two rule sets apply at once");
        }
        String binary = chosen != null ? chosen : fallback;
        return Optional.of(new IptablesBackend(binary, variant(host, binary, limit), chosen != null ? chosenRules : fallbackRules,
                List.copyOf(withDocker), List.copyOf(notes)));
    }

    /** "nf_tables" or "legacy", from "iptables v1.8.9 (nf_tables)". */
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
