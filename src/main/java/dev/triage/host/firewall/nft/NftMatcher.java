package dev.triage.host.firewall.nft;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides nftables match expressions (JSON form) for one {@link NftPacket}: {@code meta iifname /
 * oifname / l4proto / nfproto}, {@code ip|ip6 saddr|daddr} with prefixes and ranges, {@code
 * tcp|udp|th dport}, {@code ct state} ("new") and {@code ct status} (no flag: the packet is taken
 * to be the first of a connection that was not port-forwarded), against literals, interface wildcards ({@code "br-*"}),
 * anonymous sets and named sets. Anything else is {@link Tri#UNKNOWN}, never guessed.
 */
final class NftMatcher {
    enum Tri { YES, NO, UNKNOWN }

    /** What a left-hand expression is for this packet. */
    sealed interface Value permits Known, Absent, Undecidable { }

    /** @param kind "name" (interfaces, protocols, states), "address" or "number" */
    record Known(String kind, String text, BigInteger number) implements Value { }

    /** The header is not in this packet (an ip6 field of an IPv4 packet): the match is false. */
    record Absent() implements Value { }

    record Undecidable(String why) implements Value { }

    private static final Map<Integer, String> PROTOCOL_NUMBERS = Map.of(6, "tcp", 17, "udp", 1, "icmp", 58, "ipv6-icmp");

    private final NftRuleset ruleset;
    private final NftPacket p;
    private final String family;
    private final String table;

    NftMatcher(NftRuleset ruleset, NftPacket p, String family, String table) {
        this.ruleset = ruleset;
        this.p = p;
        this.family = family;
        this.table = table;
    }

    /** {@code {"match": {"op", "left", "right"}}}. */
    Tri match(JsonNode m) {
        String op = m.path("op").asText("==");
        Value left = value(m.path("left"));
        if (left instanceof Undecidable) {
            return Tri.UNKNOWN;
        }
        if (left instanceof Absent) {
            return Tri.NO;
        }
        Known k = (Known) left;
        Tri in = contains(m.path("right"), k);
        return switch (op) {
            case "==", "in" -> in;
            case "!=" -> not(in);
            case "<", ">", "<=", ">=" -> compare(op, k, m.path("right"));
            default -> Tri.UNKNOWN;
        };
    }

    /** The packet's value of a left-hand expression. */
    Value value(JsonNode e) {
        if (e.has("meta")) {
            String key = e.get("meta").path("key").asText();
            return switch (key) {
                case "iifname", "iif" -> name(p.iifname(), "the incoming interface");
                case "oifname", "oif" -> name(p.oifname(), "the outgoing interface");
                case "l4proto" -> name(p.l4proto(), "the protocol");
                case "nfproto" -> new Known("name", p.ipv6() ? "ipv6" : "ipv4", null);
                case "protocol" -> new Known("name", p.ipv6() ? "ip6" : "ip", null);
                default -> new Undecidable("meta " + key);
            };
        }
        if (e.has("ct")) {
            String key = e.get("ct").path("key").asText();
            if (key.equals("state")) {
                return new Known("name", p.ctState(), null);
            }
            if (key.equals("direction")) {
                return new Known("name", "original", null);
            }
            if (key.equals("status")) {
                // a new connection that was not port-forwarded: no dnat yet, and snat comes later (postrouting)
                return new Known("name", "none", null);
            }
            return new Undecidable("ct " + key);
        }
        if (e.has("payload")) {
            JsonNode pl = e.get("payload");
            String proto = pl.path("protocol").asText();
            String field = pl.path("field").asText();
            switch (proto) {
                case "ip", "ip6" -> {
                    if (proto.equals("ip6") != p.ipv6()) {
                        return new Absent();
                    }
                    return switch (field) {
                        case "saddr" -> address(p.saddr(), "the source address");
                        case "daddr" -> address(p.daddr(), "the destination address");
                        case "protocol", "nexthdr" -> name(p.l4proto(), "the protocol");
                        default -> new Undecidable(proto + " " + field);
                    };
                }
                case "tcp", "udp", "th" -> {
                    if (p.l4proto() == null) {
                        return new Undecidable(proto + " " + field + " (protocol unknown)");
                    }
                    if (!proto.equals("th") && !proto.equals(p.l4proto())) {
                        return new Absent();
                    }
                    if (proto.equals("th") && !p.l4proto().equals("tcp") && !p.l4proto().equals("udp")) {
                        return new Absent();
                    }
                    if (field.equals("dport")) {
                        return p.dport() == null ? new Undecidable(proto + " dport (port unknown)")
                                : new Known("number", String.valueOf(p.dport()), BigInteger.valueOf(p.dport()));
                    }
                    return new Undecidable(proto + " " + field);
                }
                default -> {
                    return new Undecidable(NftText.expr(e));
                }
            }
        }
        return new Undecidable(NftText.expr(e));
    }

    /** Whether {@code right} (a literal, wildcard, prefix, range, anonymous or named set) holds {@code v}. */
    Tri contains(JsonNode right, Known v) {
        if (right.isTextual() && right.asText().startsWith("@")) {
            Optional<NftRuleset.NamedSet> set = ruleset.set(family, table, right.asText().substring(1));
            if (set.isEmpty()) {
                return Tri.UNKNOWN;
            }
            return any(set.get().elements(), v);
        }
        if (right.has("set")) {
            return any(right.get("set"), v);
        }
        if (right.isArray()) {
            // a list of flags ("ct state established,related"): the packet's one value is among them
            return any(right, v);
        }
        return element(right, v);
    }

    private Tri any(Iterable<JsonNode> elements, Known v) {
        Tri result = Tri.NO;
        for (JsonNode el : elements) {
            Tri t = element(el, v);
            if (t == Tri.YES) {
                return Tri.YES;
            }
            if (t == Tri.UNKNOWN) {
                result = Tri.UNKNOWN;
            }
        }
        return result;
    }

    /** One literal, wildcard, prefix or range (set elements may be wrapped in {@code elem}). */
    Tri element(JsonNode el, Known v) {
        if (el.has("elem")) {
            return element(el.get("elem").path("val"), v);
        }
        if (el.has("prefix")) {
            BigInteger net = NftPacket.address(el.get("prefix").path("addr").asText());
            int len = el.get("prefix").path("len").asInt(-1);
            if (net == null || v.number() == null || !v.kind().equals("address") || len < 0) {
                return Tri.UNKNOWN;
            }
            int bits = v.text().contains(":") ? 128 : 32;
            if (el.get("prefix").path("addr").asText().contains(":") != (bits == 128)) {
                return Tri.NO;
            }
            return of(v.number().shiftRight(bits - len).equals(net.shiftRight(bits - len)));
        }
        if (el.has("range")) {
            JsonNode r = el.get("range");
            BigInteger lo = number(r.get(0), v.kind());
            BigInteger hi = number(r.get(1), v.kind());
            if (lo == null || hi == null || v.number() == null) {
                return Tri.UNKNOWN;
            }
            return of(v.number().compareTo(lo) >= 0 && v.number().compareTo(hi) <= 0);
        }
        if (el.isNumber()) {
            if (v.kind().equals("name")) {
                String proto = PROTOCOL_NUMBERS.get(el.asInt());
                return proto == null ? Tri.NO : of(proto.equals(v.text()));
            }
            return v.number() == null ? Tri.UNKNOWN : of(v.number().equals(BigInteger.valueOf(el.asLong())));
        }
        if (el.isTextual()) {
            String s = el.asText();
            switch (v.kind()) {
                case "address" -> {
                    BigInteger a = NftPacket.address(s);
                    return a == null ? Tri.UNKNOWN : of(a.equals(v.number()));
                }
                case "number" -> {
                    return s.matches("\\d+") ? of(new BigInteger(s).equals(v.number())) : Tri.UNKNOWN;
                }
                default -> {
                    // nft prints an interface wildcard as "br-*" and a literal star as "\*"
                    if (s.endsWith("*") && !s.endsWith("\\*")) {
                        return of(v.text().startsWith(s.substring(0, s.length() - 1)));
                    }
                    return of(s.replace("\\*", "*").equals(v.text()));
                }
            }
        }
        return Tri.UNKNOWN; // concatenations and other element forms are not decided
    }

    private Tri compare(String op, Known v, JsonNode right) {
        BigInteger r = number(right, v.kind());
        if (r == null || v.number() == null) {
            return Tri.UNKNOWN;
        }
        int c = v.number().compareTo(r);
        return of(switch (op) {
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
        });
    }

    private static BigInteger number(JsonNode n, String kind) {
        if (n == null) {
            return null;
        }
        if (n.isNumber()) {
            return BigInteger.valueOf(n.asLong());
        }
        if (n.isTextual()) {
            return kind.equals("address") ? NftPacket.address(n.asText())
                    : n.asText().matches("\\d+") ? new BigInteger(n.asText()) : null;
        }
        return null;
    }

    private static Value name(String v, String what) {
        return v == null ? new Undecidable(what + " is unknown") : new Known("name", v, null);
    }

    private static Value address(String v, String what) {
        return v == null ? new Undecidable(what + " is unknown") : new Known("address", v, NftPacket.address(v));
    }

    static Tri not(Tri t) {
        return t == Tri.YES ? Tri.NO : t == Tri.NO ? Tri.YES : Tri.UNKNOWN;
    }

    static Tri of(boolean b) {
        return b ? Tri.YES : Tri.NO;
    }
}
