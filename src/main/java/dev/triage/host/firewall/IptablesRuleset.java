package dev.triage.host.firewall;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table as printed by {@code iptables -t TABLE -S}. Also accepts {@code iptables-save} text (only the
 * {@code *TABLE} section asked for is kept) and {@code -v} output (counters are dropped).
 */
public final class IptablesRuleset {
    private final String table;
    private final Map<String, String> policies = new LinkedHashMap<>();
    private final Set<String> chains = new LinkedHashSet<>();
    private final Map<String, List<IptablesRule>> rules = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    private IptablesRuleset(String table) { this.table = table; }

    public static IptablesRuleset parse(String table, String iptablesSaveSOutput) {
        IptablesRuleset rs = new IptablesRuleset(table);
        String section = null; // iptables-save "*table" currently open; null for plain -S output
        String[] lines = iptablesSaveSOutput == null ? new String[0] : iptablesSaveSOutput.split("\r?\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.equals("COMMIT")) continue;
            if (line.startsWith("#")) {
                // e.g. "# Warning: iptables-legacy tables present": rules we cannot see may still apply
                if (line.toLowerCase().contains("warning")) rs.warnings.add(line);
                continue;
            }
            if (line.startsWith("*")) { section = line.substring(1).strip(); continue; }
            if (section != null && !section.equals(table)) continue;
            List<String> tok;
            try {
                tok = tokenize(line);
            } catch (IllegalArgumentException e) {
                rs.warnings.add("line " + (n + 1) + " ignored (" + e.getMessage() + "): " + line);
                continue;
            }
            tok = stripCounters(tok);
            String kind = tok.get(0);
            if (kind.startsWith(":") && tok.size() >= 2) { // iptables-save ":CHAIN POLICY [p:b]"
                rs.declare(kind.substring(1), tok.get(1).equals("-") ? null : tok.get(1), n, line);
            } else if (kind.equals("-P") && tok.size() >= 3) {
                rs.declare(tok.get(1), tok.get(2), n, line);
            } else if (kind.equals("-N") && tok.size() >= 2) {
                rs.declare(tok.get(1), null, n, line);
            } else if (kind.equals("-A") && tok.size() >= 2) {
                String chain = tok.get(1);
                rs.chains.add(chain);
                List<IptablesRule> list = rs.rules.computeIfAbsent(chain, c -> new ArrayList<>());
                list.add(IptablesRule.of(table, chain, list.size() + 1, tok.subList(2, tok.size())));
            } else {
                rs.warnings.add("line " + (n + 1) + " not understood: " + line);
            }
        }
        return rs;
    }

    private void declare(String chain, String policy, int n, String line) {
        chains.add(chain);
        if (policy == null) return;
        // the kernel only allows ACCEPT/DROP policies; anything else means we misread the line
        if (policy.equals("ACCEPT") || policy.equals("DROP")) policies.put(chain, policy);
        else warnings.add("line " + (n + 1) + " has an unexpected policy: " + line);
    }

    /** Drops "-c PKTS BYTES" (iptables -v -S) and a leading "[PKTS:BYTES]" (iptables-save -c). */
    private static List<String> stripCounters(List<String> tok) {
        List<String> out = new ArrayList<>(tok.size());
        for (int i = 0; i < tok.size(); i++) {
            String t = tok.get(i);
            if ((t.equals("-c") || t.equals("--set-counters")) && i + 2 < tok.size()
                    && tok.get(i + 1).matches("\\d+") && tok.get(i + 2).matches("\\d+")) i += 2;
            else if (!(i == 0 && t.matches("\\[\\d+:\\d+]"))) out.add(t);
        }
        return out.isEmpty() ? List.of("") : out;
    }

    /** Splits like iptables-restore: whitespace separates, "..." groups, backslash escapes the next char. */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(++i));
                inToken = true;
            } else if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inToken = true; // "" is an (empty) token
            } else if (Character.isWhitespace(c)) {
                if (inToken) out.add(cur.toString());
                cur.setLength(0);
                inToken = false;
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated quote");
        if (inToken) out.add(cur.toString());
        return out;
    }

    public String table() { return table; }

    /** Built-in chain -> policy (ACCEPT/DROP), in input order. */
    public Map<String, String> policies() { return Collections.unmodifiableMap(policies); }

    /** All chains, built-in and user-defined, in the order they were first seen. */
    public List<String> chains() { return List.copyOf(chains); }

    public boolean hasChain(String chain) { return chains.contains(chain); }

    /** Built-in chains are the ones with a policy. */
    public boolean isBuiltin(String chain) { return policies.containsKey(chain); }

    /** Rules of a chain in order (position 1 first); empty for unknown chains. */
    public List<IptablesRule> rules(String chain) {
        return Collections.unmodifiableList(rules.getOrDefault(chain, List.of()));
    }

    public List<IptablesRule> allRules() {
        return rules.values().stream().flatMap(List::stream).toList();
    }

    /** "#" warning lines from iptables plus lines this parser could not read. */
    public List<String> warnings() { return Collections.unmodifiableList(warnings); }

    /** iptables-nft printed that legacy tables exist: their rules also filter packets but are not in this output. */
    public boolean legacyTablesPresent() {
        return warnings.stream().anyMatch(w -> w.contains("iptables-legacy tables present"));
    }
}
