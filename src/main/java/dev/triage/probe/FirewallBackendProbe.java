package dev.triage.probe;

import dev.triage.docker.EngineUnreachableException;
import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;
import dev.triage.host.IptablesBackend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The firewall in charge: which iptables variant holds Docker's rules, Docker's own backend where
 * the engine reports it (29+), native nftables tables, and the manager on top (ufw, firewalld,
 * OpenWrt fw3/fw4), since a durable fix goes into a different place for each.
 */
public final class FirewallBackendProbe implements Probe<FirewallBackendProbe.Evidence> {

    /** @param netfilterPersistent /etc/iptables/rules.v4 is loaded at boot (iptables-persistent installed) */
    public record Evidence(String iptablesBinary, String iptablesVariant, boolean dockerChainsInIptables,
                           String dockerFirewallBackend, List<String> nftTables, String manager,
                           boolean netfilterPersistent, List<String> notes) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("firewall-backend", Evidence.class)
            .outcomes("iptables-legacy", "iptables-nft", "nftables", "none")
            .fine("iptables-legacy", "iptables-nft", "nftables", "none");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        HostSystem host = context.host();
        Duration limit = context.atLeast(Duration.ofMillis(300), Duration.ofMillis(200), "reading the firewall");
        List<String> notes = new ArrayList<>();
        List<IptablesBackend.Ruleset> iptables = IptablesBackend.detect(host, limit);
        String dockerBackend = null;
        try {
            dockerBackend = context.docker().info().firewallBackend();
        } catch (EngineUnreachableException e) {
            notes.add("engine unreachable: Docker's own firewall backend unknown");
        }
        List<String> tables = new ArrayList<>();
        if (host.which("nft").isPresent()) {
            CommandResult r = host.run(context.remaining(Duration.ofMillis(100)), "nft", "list", "tables");
            if (r.ok()) {
                r.stdout().lines().map(String::strip).filter(l -> l.startsWith("table ")).map(l -> l.substring(6)).forEach(tables::add);
            } else {
                notes.add("nft list tables failed: " + r.stderr().strip());
            }
        }
        String manager = manager(host, context.remaining(Duration.ofMillis(100)));
        // the tables say who is in charge even where the tools are not installed or not running
        if (manager == null && tables.contains("inet fw4")) {
            manager = "openwrt-fw4";
            notes.add("table inet fw4 is loaded: OpenWrt's firewall4 rules are in charge of forwarding");
        }
        if (manager == null && tables.contains("inet firewalld")) {
            manager = "firewalld";
            notes.add("table inet firewalld is loaded: firewalld's rules are in charge of forwarding");
        }
        if (tables.contains("ip docker-bridges") || tables.contains("ip6 docker-bridges")) {
            notes.add("table docker-bridges is loaded: Docker's nftables firewall backend");
        }
        iptables.stream().filter(r -> !r.readable()).forEach(r -> notes.add(r.binary() + ": " + r.error()));
        if (iptables.stream().filter(IptablesBackend.Ruleset::dockerChains).count() > 1) {
            notes.add("both iptables-legacy and iptables-nft hold Docker chains: two rule sets apply at once");
        }
        IptablesBackend.Ruleset docker = iptables.stream().filter(IptablesBackend.Ruleset::dockerChains).findFirst()
                .orElse(iptables.stream().filter(IptablesBackend.Ruleset::readable).findFirst().orElse(null));
        String outcome;
        if (dockerBackend != null && dockerBackend.contains("nftables")) {
            outcome = "nftables";
        } else if (docker == null) {
            outcome = tables.isEmpty() ? "none" : "nftables";
        } else {
            outcome = docker.variant().equals("legacy") ? "iptables-legacy" : "iptables-nft";
        }
        Evidence e = new Evidence(docker == null ? null : docker.binary(), docker == null ? null : docker.variant(),
                docker != null && docker.dockerChains(), dockerBackend, List.copyOf(tables), manager,
                host.exists("/usr/share/netfilter-persistent/plugins.d") || host.exists("/etc/iptables/rules.v4"),
                List.copyOf(notes));
        return ProbeResult.of(outcome, e, "firewall: " + outcome + (manager == null ? "" : ", managed by " + manager)
                + (dockerBackend == null ? "" : ", Docker backend " + dockerBackend));
    }

    /** ufw, firewalld, OpenWrt fw3/fw4, or null when none is recognised. */
    static String manager(HostSystem host, Duration limit) {
        if (host.exists("/etc/openwrt_release")) {
            return host.exists("/sbin/fw4") ? "openwrt-fw4" : "openwrt-fw3";
        }
        if (host.which("ufw").isPresent()) {
            boolean enabled = host.read("/etc/ufw/ufw.conf").map(c -> c.lines().anyMatch(l -> l.strip().equalsIgnoreCase("ENABLED=yes"))).orElse(false);
            if (enabled) {
                return "ufw";
            }
        }
        if (host.which("firewall-cmd").isPresent()) {
            CommandResult r = host.run(limit, "firewall-cmd", "--state");
            if (r.ok() && r.stdout().contains("running")) {
                return "firewalld";
            }
        }
        return null;
    }
}
