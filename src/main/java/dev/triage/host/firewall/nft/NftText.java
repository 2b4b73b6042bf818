package dev.triage.host.firewall.nft;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes a rule's JSON expressions back in the syntax {@code nft list ruleset} uses, for evidence a
 * person reads ({@code meta l4proto tcp reject with tcp reset}). Forms it does not know are named
 * by their statement word, never printed as raw JSON.
 */
public final class NftText {
    private NftText() { }

    /** A rule's expressions in nft's own syntax. */
    public static String rule(JsonNode exprs) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : exprs) {
            parts.add(expr(e));
        }
        return String.join(" ", parts);
    }

    static String expr(JsonNode e) {
        if (e == null || e.isNull() || e.isMissingNode()) {
            return "";
        }
        if (e.isTextual()) {
            return e.asText();
        }
        if (e.isNumber() || e.isBoolean()) {
            return e.asText();
        }
        if (e.isArray()) {
            List<String> items = new ArrayList<>();
            e.forEach(x -> items.add(expr(x)));
            return String.join(",", items);
        }
        String key = e.fieldNames().hasNext() ? e.fieldNames().next() : "";
        JsonNode v = e.get(key);
        return switch (key) {
            case "match" -> {
                String op = v.path("op").asText("==");
                String left = expr(v.path("left"));
                JsonNode r = v.path("right");
                // interface names are strings, printed quoted as nft does
                String right = r.isTextual() && !r.asText().startsWith("@") && left.matches("[io]if(name)?")
                        ? "\"" + r.asText() + "\"" : expr(r);
                yield op.equals("==") || op.equals("in") ? left + " " + right : left + " " + op + " " + right;
            }
            case "meta" -> {
                String k = v.path("key").asText();
                yield k.equals("iifname") || k.equals("oifname") || k.equals("iif") || k.equals("oif") ? k : "meta " + k;
            }
            case "payload" -> v.has("protocol") ? v.path("protocol").asText() + " " + v.path("field").asText()
                    : "@" + v.path("base").asText() + "," + v.path("offset").asText() + "," + v.path("len").asText();
            case "ct" -> "ct " + v.path("key").asText();
            case "prefix" -> v.path("addr").asText() + "/" + v.path("len").asText();
            case "range" -> expr(v.get(0)) + "-" + expr(v.get(1));
            case "set" -> {
                List<String> items = new ArrayList<>();
                (v.isArray() ? v : List.of(v)).forEach(x -> items.add(setElement(x)));
                yield "{ " + String.join(", ", items) + " }";
            }
            case "elem" -> expr(v.path("val"));
            case "concat" -> {
                List<String> items = new ArrayList<>();
                v.forEach(x -> items.add(expr(x)));
                yield String.join(" . ", items);
            }
            case "accept", "drop", "return", "continue", "masquerade", "notrack" -> key;
            case "reject" -> v == null || v.isNull() ? "reject"
                    : "reject with " + v.path("type").asText() + (v.has("expr") ? " type " + v.path("expr").asText() : "");
            case "jump", "goto" -> key + " " + v.path("target").asText();
            case "vmap" -> expr(v.path("key")) + " vmap " + expr(v.path("data"));
            case "counter" -> "counter";
            case "log" -> "log";
            case "limit" -> "limit rate " + (v.path("inv").asBoolean() ? "over " : "") + v.path("rate").asText()
                    + "/" + v.path("per").asText();
            case "snat", "dnat" -> key + " to " + expr(v.path("addr"));
            case "xt" -> "xt " + v.path("type").asText() + " " + v.path("name").asText();
            case "&", "|", "^" -> expr(v.get(0)) + " " + key + " " + expr(v.get(1));
            default -> key;
        };
    }

    private static String setElement(JsonNode x) {
        if (x.isArray() && x.size() == 2) {
            return expr(x.get(0)) + " : " + expr(x.get(1));
        }
        return expr(x);
    }
}
