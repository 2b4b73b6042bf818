package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.host.ShellQuote;
import dev.triage.host.firewall.FirewallNames;
import dev.triage.host.firewall.nft.NftText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Inserts an accept for one bridge's traffic at the top of a native nftables chain, or deletes one
 * rule by handle. Commands go to nft as JSON built here ({@code nft -j -e -a '{...}'}), so no value
 * is ever parsed as nft syntax. A delete keeps the rule's JSON and its neighbour, so undo puts it
 * back at the same place and {@code nft list ruleset} reads as before (a counter in the rule starts
 * again from zero).
 *
 * @param replies    the accept is for replies only ({@code ct state established,related}), insert only
 * @param handle     the rule to delete (delete only)
 * @param expectRule the deleted rule as nft prints it when the fix was planned: a rule that changed
 *                   since is not deleted (delete only)
 */
public record NftRuleChange(String operation, String family, String table, String chain, String iifname, String oifname,
                            boolean replies, Long handle, String expectRule, String comment) implements FixAction {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> FAMILIES = Set.of("inet", "ip", "ip6");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]{0,127}");

    public NftRuleChange {
        if (!operation.equals("insert") && !operation.equals("delete")) {
            throw new IllegalArgumentException("operation must be insert or delete");
        }
        if (!FAMILIES.contains(family)) {
            throw new IllegalArgumentException("not an nftables family for forwarded traffic: " + family);
        }
        if (table == null || !NAME.matcher(table).matches()) {
            throw new IllegalArgumentException("not a valid nftables table name: " + table);
        }
        if (chain == null || !NAME.matcher(chain).matches()) {
            throw new IllegalArgumentException("not a valid nftables chain name: " + chain);
        }
        if (operation.equals("insert")) {
            if (iifname == null && oifname == null) {
                throw new IllegalArgumentException("an accept must name the bridge it is for");
            }
            for (String i : new String[] {iifname, oifname}) {
                if (i != null && !FirewallNames.isValidInterface(i)) {
                    throw new IllegalArgumentException("not a valid interface name: " + i);
                }
            }
            if (comment == null || comment.length() > 120 || !comment.matches("[ -~]+") || comment.contains("\"")) {
                throw new IllegalArgumentException("the rule's comment must be printable ASCII without quotes, up to 120 characters");
            }
        } else {
            if (handle == null || handle < 1) {
                throw new IllegalArgumentException("a delete needs the rule's handle");
            }
            if (expectRule == null || expectRule.isBlank()) {
                throw new IllegalArgumentException("a delete needs the rule it expects to find");
            }
        }
    }

    public static NftRuleChange acceptBridge(String family, String table, String chain, String in, String out, boolean replies) {
        return new NftRuleChange("insert", family, table, chain, in, out, replies, null, null,
                "added by triage: accept " + (replies ? "replies " : "") + (in == null ? "" : "from " + in)
                        + (in != null && out != null ? " " : "") + (out == null ? "" : "to " + out));
    }

    public static NftRuleChange delete(String family, String table, String chain, long handle, String expectRule) {
        return new NftRuleChange("delete", family, table, chain, null, null, false, handle, expectRule, null);
    }

    @Override
    public String describe() {
        return operation.equals("insert")
                ? "Insert \"" + ruleText() + "\" at the top of chain " + chain + " of table " + family + " " + table
                : "Delete the rule \"" + expectRule + "\" (handle " + handle + ") from chain " + chain + " of table "
                        + family + " " + table;
    }

    @Override
    public List<String> preview() {
        if (operation.equals("insert")) {
            return List.of("$ " + ShellQuote.join(insertArgv()),
                    "  (the same as: nft insert rule " + family + " " + table + " " + chain + " " + ruleText() + ")");
        }
        return List.of("$ " + ShellQuote.join(deleteArgv()));
    }

    /** The accept rule in nft's own syntax, as {@code nft list ruleset} will show it. */
    String ruleText() {
        StringBuilder s = new StringBuilder();
        if (iifname != null) {
            s.append("iifname \"").append(iifname).append("\" ");
        }
        if (oifname != null) {
            s.append("oifname \"").append(oifname).append("\" ");
        }
        if (replies) {
            s.append("ct state established,related ");
        }
        return s.append("accept comment \"").append(comment).append('"').toString();
    }

    @Override
    public boolean needed(FixHost host) throws FixException {
        List<JsonNode> rules = chainRules(host);
        if (operation.equals("insert")) {
            JsonNode want = acceptExpr();
            return rules.stream().noneMatch(r -> r.path("expr").equals(want) && comment.equals(r.path("comment").asText(null)));
        }
        return rules.stream().anyMatch(r -> r.path("handle").asLong() == handle);
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        if (operation.equals("insert")) {
            String echoed = host.run(insertArgv()).stdout();
            long newHandle = echoedHandle(echoed);
            return Map.of("handle", String.valueOf(newHandle));
        }
        List<JsonNode> rules = chainRules(host);
        int at = -1;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).path("handle").asLong() == handle) {
                at = i;
            }
        }
        if (at < 0) {
            throw new FixException("rule handle " + handle + " is no longer in chain " + chain + " of " + family + " " + table);
        }
        String now = NftText.rule(rules.get(at).path("expr"));
        if (!now.equals(expectRule)) {
            throw new FixException("rule handle " + handle + " changed since the plan (now \"" + now + "\"); not deleting it");
        }
        Map<String, String> undo = new LinkedHashMap<>();
        undo.put("expr", rules.get(at).path("expr").toString());
        if (rules.get(at).hasNonNull("comment")) {
            undo.put("comment", rules.get(at).path("comment").asText());
        }
        if (at > 0) {
            undo.put("after", String.valueOf(rules.get(at - 1).path("handle").asLong()));
        } else if (rules.size() > 1) {
            undo.put("before", String.valueOf(rules.get(1).path("handle").asLong()));
        }
        host.run(deleteArgv());
        return undo;
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        List<JsonNode> rules = chainRules(host);
        if (operation.equals("insert")) {
            long h = Long.parseLong(undo.getOrDefault("handle", "-1"));
            for (JsonNode r : rules) {
                // only the rule this fix added: same handle, same words, our comment
                if (r.path("handle").asLong() == h && r.path("expr").equals(acceptExpr())
                        && comment.equals(r.path("comment").asText(null))) {
                    host.run(List.of("nft", "delete", "rule", family, table, chain, "handle", String.valueOf(h)));
                }
            }
            return;
        }
        JsonNode expr;
        try {
            expr = JSON.readTree(undo.get("expr"));
        } catch (IOException | RuntimeException e) {
            throw new FixException("the journal's copy of the deleted rule cannot be read; it was: " + expectRule);
        }
        for (JsonNode r : rules) {
            if (r.path("expr").equals(expr) && java.util.Objects.equals(undo.get("comment"), r.path("comment").asText(null))) {
                return; // already back
            }
        }
        ObjectNode rule = ruleObject(expr, undo.get("comment"));
        String op = "add";
        if (undo.containsKey("after") && hasHandle(rules, undo.get("after"))) {
            rule.put("handle", Long.parseLong(undo.get("after")));
        } else if (undo.containsKey("before") && hasHandle(rules, undo.get("before"))) {
            op = "insert";
            rule.put("handle", Long.parseLong(undo.get("before")));
        } else if (!rules.isEmpty()) {
            op = "insert"; // it was the only rule, or its neighbours are gone: the top is its old place
        }
        host.run(List.of("nft", "-j", command(op, rule).toString()));
    }

    private static boolean hasHandle(List<JsonNode> rules, String h) {
        return rules.stream().anyMatch(r -> String.valueOf(r.path("handle").asLong()).equals(h));
    }

    List<String> insertArgv() {
        return List.of("nft", "-j", "-e", "-a", command("insert", ruleObject(acceptExpr(), comment)).toString());
    }

    List<String> deleteArgv() {
        return List.of("nft", "delete", "rule", family, table, chain, "handle", String.valueOf(handle));
    }

    private ObjectNode ruleObject(JsonNode expr, String ruleComment) {
        ObjectNode rule = F.objectNode();
        rule.put("family", family);
        rule.put("table", table);
        rule.put("chain", chain);
        rule.set("expr", expr);
        if (ruleComment != null) {
            rule.put("comment", ruleComment);
        }
        return rule;
    }

    private static ObjectNode command(String op, ObjectNode rule) {
        ObjectNode root = F.objectNode();
        ArrayNode list = root.putArray("nftables");
        list.addObject().putObject(op).set("rule", rule);
        return root;
    }

    /** {@code iifname "X" oifname "Y" accept} as nft's JSON. */
    ArrayNode acceptExpr() {
        ArrayNode expr = F.arrayNode();
        if (iifname != null) {
            expr.add(ifaceMatch("iifname", iifname));
        }
        if (oifname != null) {
            expr.add(ifaceMatch("oifname", oifname));
        }
        if (replies) {
            ObjectNode m = expr.addObject().putObject("match");
            m.put("op", "in");
            m.putObject("left").putObject("ct").put("key", "state");
            m.putArray("right").add("established").add("related");
        }
        expr.addObject().putNull("accept");
        return expr;
    }

    private static ObjectNode ifaceMatch(String key, String name) {
        ObjectNode match = F.objectNode();
        ObjectNode m = match.putObject("match");
        m.put("op", "==");
        m.putObject("left").putObject("meta").put("key", key);
        m.put("right", name);
        return match;
    }

    private List<JsonNode> chainRules(FixHost host) throws FixException {
        String out = host.run(List.of("nft", "-j", "list", "chain", family, table, chain)).stdout();
        List<JsonNode> rules = new ArrayList<>();
        try {
            for (JsonNode item : JSON.readTree(out).path("nftables")) {
                if (item.has("rule")) {
                    rules.add(item.get("rule"));
                }
            }
        } catch (IOException e) {
            throw new FixException("nft -j list chain " + family + " " + table + " " + chain + " printed something that is not JSON");
        }
        return rules;
    }

    private long echoedHandle(String echoed) throws FixException {
        try {
            for (JsonNode item : JSON.readTree(echoed).path("nftables")) {
                JsonNode h = item.path("insert").path("rule").path("handle");
                if (h.isNumber()) {
                    return h.asLong();
                }
            }
        } catch (IOException e) {
            // handled below
        }
        throw new FixException("nft did not echo the new rule's handle; undo would not find it");
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        if (operation.equals("insert")) {
            return List.of("$ " + ShellQuote.join(List.of("nft", "delete", "rule", family, table, chain, "handle",
                    undo.getOrDefault("handle", "?"))) + "   (only if it is still the rule the fix added)");
        }
        return List.of("put the rule \"" + expectRule + "\" back into chain " + chain + " of table " + family + " " + table
                + (undo.containsKey("after") ? " after handle " + undo.get("after")
                : undo.containsKey("before") ? " before handle " + undo.get("before") : "") + " (unless it is back already)");
    }
}
