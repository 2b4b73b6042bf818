package dev.triage.fix;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.triage.host.ShellQuote;
import dev.triage.host.firewall.FirewallNames;
import dev.triage.host.firewall.IptablesRule;
import dev.triage.host.firewall.IptablesRuleset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes or inserts one iptables rule, through the binary that holds Docker's rules. A delete
 * remembers the rule's position so that undo puts it back where it was and {@code iptables -S}
 * reads the same as before.
 */
public record IptablesRuleChange(String operation, String binary, String table, String chain, Integer position,
                                 List<String> rule) implements FixAction {
    private static final Set<String> BINARIES = Set.of("iptables", "iptables-nft", "iptables-legacy",
            "ip6tables", "ip6tables-nft", "ip6tables-legacy");
    private static final Set<String> TABLES = Set.of("filter", "nat", "raw", "mangle");

    public IptablesRuleChange {
        if (!operation.equals("delete") && !operation.equals("insert")) {
            throw new IllegalArgumentException("operation must be delete or insert");
        }
        if (!BINARIES.contains(binary)) {
            throw new IllegalArgumentException("not an iptables binary: " + binary);
        }
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not an iptables table: " + table);
        }
        if (!FirewallNames.isValidChain(chain)) {
            throw new IllegalArgumentException("not a valid chain name: " + chain);
        }
        if (rule == null || rule.isEmpty() || rule.size() > 64 || !rule.stream().allMatch(FirewallNames::isSafeRuleToken)) {
            throw new IllegalArgumentException("rule words are empty or unsafe: " + rule);
        }
        for (int i = 0; i < rule.size() - 1; i++) {
            if ((rule.get(i).equals("-i") || rule.get(i).equals("-o")) && !FirewallNames.isValidInterface(rule.get(i + 1))) {
                throw new IllegalArgumentException("not a valid interface name: " + rule.get(i + 1));
            }
        }
        if (position != null && (position < 1 || position > 10000)) {
            throw new IllegalArgumentException("rule position out of range: " + position);
        }
        rule = List.copyOf(rule);
    }

    public static IptablesRuleChange delete(String binary, String table, String chain, List<String> rule) {
        return new IptablesRuleChange("delete", binary, table, chain, null, rule);
    }

    public static IptablesRuleChange insert(String binary, String table, String chain, int position, List<String> rule) {
        return new IptablesRuleChange("insert", binary, table, chain, position, rule);
    }

    @Override
    public String describe() {
        return (operation.equals("delete") ? "Delete" : "Insert") + " the rule '" + chain + " " + ShellQuote.join(rule)
                + "' (" + binary + ", table " + table + ")";
    }

    @Override
    public List<String> preview() {
        return List.of("$ " + ShellQuote.join(operation.equals("delete") ? deleteArgs() : insertArgs(position == null ? 1 : position)));
    }

    @Override
    public boolean needed(FixHost host) {
        boolean present = host.check(args("-C", null));
        return operation.equals("delete") == present;
    }

    /** A delete removes every identical copy (boot scripts that append stack duplicates); undo puts each back. */
    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        if (operation.equals("delete")) {
            List<Integer> positions = positionsOf(host);
            if (positions.isEmpty()) {
                // -C found it but the listing does not show it as planned: undo could not put it back exactly
                throw new FixException("the rule '" + chain + " " + ShellQuote.join(rule) + "' is not listed as expected by "
                        + binary + " -S " + chain + "; not deleting it");
            }
            for (int i = 0; i < positions.size(); i++) {
                host.run(deleteArgs());
            }
            return Map.of("positions", String.join(",", positions.stream().map(String::valueOf).toList()));
        }
        host.run(insertArgs(position == null ? 1 : position));
        return Map.of();
    }

    /** A delete records where each copy is before it deletes any, so that undo after a crash puts them back. */
    @Override
    public Map<String, String> intent(FixHost host) throws FixException {
        if (!operation.equals("delete")) {
            return Map.of();
        }
        List<Integer> positions = positionsOf(host);
        return Map.of("positions", String.join(",", positions.stream().map(String::valueOf).toList()));
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        if (operation.equals("delete")) {
            // put back each copy at its recorded position (ascending), skipping one already there:
            // an undo that is run again, or after a partial one, leaves the chain as before the fix
            for (String p : undo.getOrDefault("positions", "").split(",")) {
                if (p.isBlank()) {
                    continue;
                }
                int at = Integer.parseInt(p.strip());
                List<IptablesRule> now = listChain(host);
                if (at <= now.size() && now.get(at - 1).tokens().equals(rule)) {
                    continue;
                }
                host.run(at <= now.size() + 1 ? insertArgs(at) : args("-A", null));
            }
        } else if (host.check(args("-C", null))) {
            host.run(deleteArgs());
        }
    }

    @JsonIgnore
    List<String> deleteArgs() {
        return args("-D", null);
    }

    List<String> insertArgs(int at) {
        return args("-I", at);
    }

    private List<String> args(String op, Integer at) {
        List<String> argv = new ArrayList<>(List.of(binary, "-w", "5", "-t", table, op, chain));
        if (at != null) {
            argv.add(String.valueOf(at));
        }
        argv.addAll(rule);
        return argv;
    }

    /** 1-based positions of every copy of the rule in its chain, ascending, from {@code iptables -S CHAIN}. */
    private List<Integer> positionsOf(FixHost host) throws FixException {
        List<Integer> positions = new ArrayList<>();
        for (IptablesRule r : listChain(host)) {
            if (r.tokens().equals(rule)) {
                positions.add(r.position());
            }
        }
        return positions;
    }

    private List<IptablesRule> listChain(FixHost host) throws FixException {
        String listing = host.run(List.of(binary, "-w", "5", "-t", table, "-S", chain)).stdout();
        return IptablesRuleset.parse(table, listing).rules(chain);
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        if (!operation.equals("delete")) {
            return List.of("$ " + ShellQuote.join(deleteArgs()) + "   (if the rule is still there)");
        }
        List<String> lines = new ArrayList<>();
        for (String p : undo.getOrDefault("positions", "").split(",")) {
            if (!p.isBlank()) {
                lines.add("$ " + ShellQuote.join(insertArgs(Integer.parseInt(p.strip()))) + "   (unless it is back already)");
            }
        }
        return lines.isEmpty() ? List.of("nothing: the fix deleted no copy of the rule") : lines;
    }
}
