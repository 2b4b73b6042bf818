package dev.triage.host.firewall.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole native nftables ruleset as {@code nft -j list ruleset} prints it: tables, chains (base
 * chains with their hook, priority and policy), rules in order with their handles and comments,
 * and named sets and maps with their elements. Parsed with Jackson; the rule expressions stay JSON
 * and are read by {@link NftWalk}.
 */
public final class NftRuleset {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A table, chain or set is named by its family and table; chain names repeat across tables. */
    public record ChainRef(String family, String table, String name) {
        public String tableName() {
            return family + " " + table;
        }

        @Override
        public String toString() {
            return family + " " + table + " " + name;
        }
    }

    /** @param hook null for a regular chain (reached only by jump/goto) */
    public record Chain(ChainRef ref, String type, String hook, int priority, String policy) {
        public boolean base() {
            return hook != null;
        }
    }

    public record Rule(ChainRef chain, long handle, int position, String comment, JsonNode expr) { }

    /** A named set or map; for a map, each element is a [key, value] pair. */
    public record NamedSet(String family, String table, String name, boolean map, List<JsonNode> elements) { }

    private final List<Chain> chains;
    private final Map<ChainRef, List<Rule>> rules;
    private final Map<String, NamedSet> sets;
    private final List<String> tables;

    private NftRuleset(List<Chain> chains, Map<ChainRef, List<Rule>> rules, Map<String, NamedSet> sets, List<String> tables) {
        this.chains = chains;
        this.rules = rules;
        this.sets = sets;
        this.tables = tables;
    }

    public static NftRuleset parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("nft printed something that is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode items = root == null ? null : root.path("nftables");
        if (items == null || !items.isArray()) {
            throw new IllegalArgumentException("nft printed JSON without an \"nftables\" list");
        }
        List<Chain> chains = new ArrayList<>();
        Map<ChainRef, List<Rule>> rules = new LinkedHashMap<>();
        Map<String, NamedSet> sets = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.has("table")) {
                JsonNode t = item.get("table");
                tables.add(t.path("family").asText() + " " + t.path("name").asText());
            } else if (item.has("chain")) {
                JsonNode c = item.get("chain");
                ChainRef ref = new ChainRef(c.path("family").asText(), c.path("table").asText(), c.path("name").asText());
                chains.add(new Chain(ref, c.path("type").asText(null), c.path("hook").asText(null),
                        c.path("prio").asInt(0), c.path("policy").asText(null)));
                rules.putIfAbsent(ref, new ArrayList<>());
            } else if (item.has("rule")) {
                JsonNode r = item.get("rule");
                ChainRef ref = new ChainRef(r.path("family").asText(), r.path("table").asText(), r.path("chain").asText());
                List<Rule> list = rules.computeIfAbsent(ref, k -> new ArrayList<>());
                list.add(new Rule(ref, r.path("handle").asLong(-1), list.size() + 1, r.path("comment").asText(null),
                        r.path("expr")));
            } else if (item.has("set") || item.has("map")) {
                boolean map = item.has("map");
                JsonNode s = map ? item.get("map") : item.get("set");
                List<JsonNode> elems = new ArrayList<>();
                s.path("elem").forEach(elems::add);
                NamedSet set = new NamedSet(s.path("family").asText(), s.path("table").asText(), s.path("name").asText(), map, elems);
                sets.put(key(set.family(), set.table(), set.name()), set);
            }
        }
        return new NftRuleset(List.copyOf(chains), rules, sets, List.copyOf(tables));
    }

    private static String key(String family, String table, String name) {
        return family + "\0" + table + "\0" + name;
    }

    /** "family name" of every table, in the order nft listed them. */
    public List<String> tables() {
        return tables;
    }

    public Optional<Chain> chain(ChainRef ref) {
        return chains.stream().filter(c -> c.ref().equals(ref)).findFirst();
    }

    public List<Rule> rules(ChainRef ref) {
        return rules.getOrDefault(ref, List.of());
    }

    public Optional<NamedSet> set(String family, String table, String name) {
        return Optional.ofNullable(sets.get(key(family, table, name)));
    }

    /** Base chains on {@code hook} of {@code type} in the given families, in the order the kernel runs them. */
    public List<Chain> baseChains(String hook, String type, List<String> families) {
        return chains.stream()
                .filter(c -> hook.equals(c.hook()) && type.equals(c.type()) && families.contains(c.ref().family()))
                .sorted(Comparator.comparingInt(Chain::priority)
                        .thenComparing(c -> c.ref().family()).thenComparing(c -> c.ref().table()))
                .toList();
    }
}
