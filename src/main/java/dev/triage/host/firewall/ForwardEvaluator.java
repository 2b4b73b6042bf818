package dev.triage.host.firewall;

import dev.triage.host.firewall.Decision.Verdict;
import dev.triage.host.firewall.IptablesRule.Arg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Walks the filter table's FORWARD chain for one packet the way the kernel does: first matching rule with a
 * verdict wins, {@code -j} descends and resumes, {@code -g} does not resume, RETURN pops, policy at the end.
 * Matches are three-valued: a rule whose outcome depends on something we cannot evaluate is not taken but is
 * reported in {@link Decision#uncertainRules()}.
 */
public final class ForwardEvaluator {
    /** Jump depth guard; the kernel allows more, but real rulesets stay far below and loops must terminate. */
    public static final int MAX_DEPTH = 32;
    // guards against exponential walks through many chains jumping to the same sub-chains
    private static final int MAX_JUMPS = 100_000;
    private static final String ENTRY = "FORWARD";
    private static final Set<String> TERMINAL = Set.of("ACCEPT", "DROP", "REJECT");
    // targets that do something to the packet (or log it) and then let it continue to the next rule
    private static final Set<String> CONTINUING = Set.of("LOG", "NFLOG", "ULOG", "MARK", "CONNMARK", "CLASSIFY",
            "DSCP", "TOS", "TCPMSS", "CT", "NOTRACK", "AUDIT", "TRACE", "CHECKSUM", "SECMARK", "CONNSECMARK", "TTL",
            "HL", "TEE", "IDLETIMER", "LED", "SET", "RATEEST");

    private enum Tri { YES, NO, UNKNOWN }

    public Decision evaluate(IptablesRuleset rs, ForwardPacket p) {
        Walk w = new Walk(rs, p, TERMINAL);
        IptablesRule r = w.run(ENTRY);
        if (r != null)
            return new Decision(Verdict.valueOf(r.target()), r, false, null, w.trail, new ArrayList<>(w.uncertain));
        // the kernel's default policy for a built-in chain is ACCEPT
        String policy = rs.policies().getOrDefault(ENTRY, "ACCEPT");
        w.trail.add(ENTRY + ":policy " + policy);
        return new Decision(Verdict.valueOf(policy), null, true, ENTRY, w.trail, new ArrayList<>(w.uncertain));
    }

    /**
     * Walks a chain for one packet until a rule with one of {@code terminal} as target matches; also
     * used for the nat table's POSTROUTING, where the terminal targets are MASQUERADE, SNAT and ACCEPT.
     */
    static final class Walk {
        final IptablesRuleset rs;
        final ForwardPacket p;
        final Set<String> terminal;
        final List<String> trail = new ArrayList<>();
        final Set<IptablesRule> uncertain = new LinkedHashSet<>();
        final Deque<String> stack = new ArrayDeque<>();
        int jumps;

        Walk(IptablesRuleset rs, ForwardPacket p, Set<String> terminal) {
            this.rs = rs;
            this.p = p;
            this.terminal = terminal;
        }

        /** Returns the rule that gave a verdict, or null when the chain returned (RETURN or end of chain). */
        IptablesRule run(String chain) {
            stack.push(chain);
            try {
                for (IptablesRule r : rs.rules(chain)) {
                    Tri m = matches(r);
                    if (m == Tri.NO) continue;
                    String t = r.target();
                    boolean continuing = t == null || CONTINUING.contains(t);
                    if (m == Tri.UNKNOWN) {
                        // whether a LOG-like rule matched cannot change the verdict, so it is not worth a warning
                        if (!continuing) uncertain.add(r);
                        continue;
                    }
                    if (continuing || terminal.contains(t) || t.equals("RETURN")) {
                        trail.add(chain + "#" + r.position());
                        if (continuing) continue;
                        return t.equals("RETURN") ? null : r;
                    }
                    // NFQUEUE, unknown extensions, undeclared chains, loops, too deep: we cannot follow it
                    if (!rs.hasChain(t) || rs.isBuiltin(t) || stack.contains(t) || stack.size() >= MAX_DEPTH
                            || ++jumps > MAX_JUMPS) {
                        uncertain.add(r);
                        continue;
                    }
                    trail.add(chain + "#" + r.position());
                    IptablesRule v = run(t);
                    if (v != null) return v;
                    if (r.isGoto()) return null; // goto: the callee's return goes straight to our caller
                }
                return null;
            } finally {
                stack.pop();
            }
        }

        Tri matches(IptablesRule r) {
            Tri t = Tri.YES;
            t = and(t, iface(r.inInterface(), p.inInterface()));
            t = and(t, iface(r.outInterface(), p.outInterface()));
            t = and(t, cidr(r.source(), p.source()));
            t = and(t, cidr(r.destination(), p.destination()));
            if (r.protocol() != null)
                t = and(t, p.protocol() == null ? Tri.UNKNOWN
                        : of((r.protocol().value().equals("all") || r.protocol().value().equals(p.protocol()))
                             != r.protocol().negated()));
            if (r.dport() != null) t = and(t, p.dport() == null ? Tri.UNKNOWN : of(r.dport().matches(p.dport())));
            if (r.ctstate() != null) t = and(t, of(r.ctstate().matches(p.ctstates())));
            if (r.hasUnsupported()) t = and(t, Tri.UNKNOWN);
            return t;
        }
    }

    private static Tri and(Tri a, Tri b) {
        return a == Tri.NO || b == Tri.NO ? Tri.NO : a == Tri.UNKNOWN || b == Tri.UNKNOWN ? Tri.UNKNOWN : Tri.YES;
    }

    private static Tri of(boolean b) { return b ? Tri.YES : Tri.NO; }

    /** "br-+" matches any name starting with "br-" (so "+" alone matches every interface). */
    static Tri iface(Arg a, String name) {
        if (a == null) return Tri.YES;
        if (name == null) return Tri.UNKNOWN;
        String v = a.value();
        boolean m = v.endsWith("+") ? name.startsWith(v.substring(0, v.length() - 1)) : name.equals(v);
        return of(m != a.negated());
    }

    /** "10.0.0.0/8", "10.0.0.0/255.0.0.0" or a bare host address; non-IPv4 values are undecidable. */
    static Tri cidr(Arg a, String ip) {
        if (a == null) return Tri.YES;
        if (ip == null) return Tri.UNKNOWN;
        String v = a.value();
        int slash = v.indexOf('/');
        long net = ForwardPacket.parseIpv4(slash < 0 ? v : v.substring(0, slash));
        long mask;
        if (slash < 0) mask = 0xFFFFFFFFL;
        else {
            String m = v.substring(slash + 1);
            if (m.matches("\\d{1,2}") && Integer.parseInt(m) <= 32)
                mask = (0xFFFFFFFFL << (32 - Integer.parseInt(m))) & 0xFFFFFFFFL; // /0 -> 0 (shift by 32 on a long)
            else mask = ForwardPacket.parseIpv4(m);
        }
        if (net < 0 || mask < 0) return Tri.UNKNOWN;
        return of(((ForwardPacket.parseIpv4(ip) & mask) == (net & mask)) != a.negated());
    }
}
