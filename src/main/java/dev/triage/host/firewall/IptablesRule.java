package dev.triage.host.firewall;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code -A CHAIN ...} line of {@code iptables -S}. {@link #tokens()} keeps the exact (unquoted) words
 * after {@code -A CHAIN}; the other components are the matches the evaluator understands. Anything it does
 * not understand lands in {@link #unsupported()} so callers never mistake "unknown" for "does not match".
 *
 * @param target      {@code -j}/{@code -g} target, or null for a counter-only rule
 * @param isGoto      true for {@code -g} (the callee returns to our caller, not to us)
 * @param targetArgs  target options, e.g. {@code --reject-with tcp-reset}
 * @param protocol    normalised to lower-case names ("tcp", "udp", "icmp", "all", ...)
 * @param unsupported one entry per match/option not understood, e.g. {@code -m physdev --physdev-is-bridged}
 */
public record IptablesRule(
        String table, String chain, int position, List<String> tokens,
        String target, boolean isGoto, List<String> targetArgs,
        Arg inInterface, Arg outInterface, Arg source, Arg destination, Arg protocol,
        PortMatch dport, StateMatch ctstate, List<String> unsupported) {

    /** An option value and whether it was negated with {@code !}. */
    public record Arg(String value, boolean negated) {}

    /** Inclusive port range; a single port has from == to. */
    public record PortRange(int from, int to) {
        public boolean contains(int port) { return port >= from && port <= to; }
    }

    /** {@code --dport} (one range) or {@code -m multiport --dports} (several). */
    public record PortMatch(List<PortRange> ranges, boolean negated) {
        public PortMatch { ranges = List.copyOf(ranges); }
        public boolean matches(int port) { return ranges.stream().anyMatch(r -> r.contains(port)) != negated; }
    }

    /** {@code -m conntrack --ctstate} or {@code -m state --state}; states upper-case. */
    public record StateMatch(Set<String> states, boolean negated) {
        public StateMatch { states = Set.copyOf(states); }
        /** Kernel semantics: the packet's state bits intersect the rule's mask (xor negation). */
        public boolean matches(Set<String> packetStates) {
            return packetStates.stream().anyMatch(states::contains) != negated;
        }
    }

    // iptables prints these values with xtables_save_string(): quoted unless purely [A-Za-z0-9_-]
    private static final Set<String> SAVE_STRING_OPTS = Set.of("--comment", "--log-prefix", "--nflog-prefix");
    // options whose arity we know, so a value starting with '-' is not mistaken for the next option
    private static final Set<String> ONE_ARG_OPTS = Set.of("--dport", "--destination-port", "--dports",
            "--destination-ports", "--ctstate", "--state", "--comment", "--sport", "--source-port", "--sports",
            "--source-ports", "--ports");

    private static final Set<String> KNOWN_MODULES = Set.of("tcp", "udp", "multiport", "conntrack", "state", "comment");

    public IptablesRule {
        tokens = List.copyOf(tokens);
        targetArgs = List.copyOf(targetArgs);
        unsupported = List.copyOf(unsupported);
    }

    /** Parses the (already unquoted) tokens that follow {@code -A chain}. */
    public static IptablesRule of(String table, String chain, int position, List<String> tokens) {
        Parser p = new Parser(tokens);
        p.run();
        return new IptablesRule(table, chain, position, tokens, p.target, p.isGoto, p.targetArgs,
                p.in, p.out, p.src, p.dst, p.proto, p.dport, p.state, p.unsupported);
    }

    public boolean hasUnsupported() { return !unsupported.isEmpty(); }

    /** The rule as {@code iptables -S} prints it: {@code -A CHAIN args}. */
    public String spec() { return tokens.isEmpty() ? "-A " + chain : "-A " + chain + " " + args(); }

    /** The tokens after {@code -A CHAIN}, re-quoted the way iptables quotes them. */
    public String args() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) sb.append(' ');
            sb.append(quote(tokens.get(i), i > 0 && SAVE_STRING_OPTS.contains(tokens.get(i - 1))));
        }
        return sb.toString();
    }

    /** {@code CHAIN args}, the form used in human-readable evidence. */
    public String shortSpec() { return tokens.isEmpty() ? chain : chain + " " + args(); }

    @Override public String toString() { return spec(); }

    static String quote(String t, boolean saveString) {
        boolean plain = saveString ? t.matches("[A-Za-z0-9_-]+")
                : !t.isEmpty() && t.chars().noneMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\');
        return plain ? t : '"' + t.replaceAll("([\"'\\\\])", "\\\\$1") + '"';
    }

    /** Single pass over the tokens; options are interpreted in the context of the last {@code -m} module. */
    private static final class Parser {
        final List<String> t;
        int i;
        String module;
        int moduleEntry = -1; // index in unsupported of the current unknown module, or -1
        String target;
        boolean isGoto;
        List<String> targetArgs = List.of();
        Arg in, out, src, dst, proto;
        PortMatch dport;
        StateMatch state;
        final List<String> unsupported = new ArrayList<>();

        Parser(List<String> tokens) { t = tokens; }

        void run() {
            boolean neg = false;
            for (i = 0; i < t.size(); i++) {
                String tok = t.get(i);
                if (tok.equals("!")) { neg = true; continue; }
                boolean n = neg;
                neg = false;
                switch (tok) {
                    case "-j", "--jump", "-g", "--goto" -> {
                        target = next();
                        isGoto = tok.equals("-g") || tok.equals("--goto");
                        targetArgs = t.subList(Math.min(i + 1, t.size()), t.size());
                        return; // iptables prints target options last
                    }
                    case "-i", "--in-interface" -> in = arg(n);
                    case "-o", "--out-interface" -> out = arg(n);
                    case "-s", "--source", "--src" -> src = arg(n);
                    case "-d", "--destination", "--dst" -> dst = arg(n);
                    case "-p", "--protocol" -> {
                        Arg a = arg(n);
                        proto = new Arg(normProto(a.value()), a.negated());
                    }
                    case "-m", "--match" -> {
                        module = next();
                        moduleEntry = -1;
                        if (!KNOWN_MODULES.contains(module)) {
                            unsupported.add("-m " + module);
                            moduleEntry = unsupported.size() - 1;
                        }
                    }
                    default -> option(tok, n);
                }
            }
        }

        Arg arg(boolean n) {
            String v = next();
            if ("!".equals(v)) { n = true; v = next(); } // pre-1.4.3 syntax "-i ! eth0"
            return new Arg(v, n);
        }

        String next() { return ++i < t.size() ? t.get(i) : ""; }

        void option(String opt, boolean n) {
            List<String> vals = new ArrayList<>();
            if (ONE_ARG_OPTS.contains(opt)) vals.add(next());
            else while (i + 1 < t.size() && !t.get(i + 1).equals("!") && !isOption(t.get(i + 1))) vals.add(t.get(++i));
            // iptables-restore accepts "-p tcp --dport 25" without "-m tcp"
            String mod = module != null ? module : proto != null ? proto.value() : "";
            boolean known = switch (mod) {
                case "tcp", "udp" -> (opt.equals("--dport") || opt.equals("--destination-port")) && setPorts(vals.get(0), n);
                case "multiport" -> (opt.equals("--dports") || opt.equals("--destination-ports")) && setPorts(vals.get(0), n);
                case "conntrack" -> opt.equals("--ctstate") && setState(vals.get(0), n);
                case "state" -> opt.equals("--state") && setState(vals.get(0), n);
                case "comment" -> opt.equals("--comment"); // documentation only
                default -> false;
            };
            if (known) return;
            String desc = ((n ? "! " : "") + opt + " " + String.join(" ", vals)).trim();
            // an unknown module's options join its "-m X" entry; unknown options of known modules get their own
            if (moduleEntry >= 0) unsupported.set(moduleEntry, unsupported.get(moduleEntry) + " " + desc);
            else unsupported.add(module != null ? "-m " + module + " " + desc : desc);
        }

        static boolean isOption(String s) { return s.length() > 1 && s.startsWith("-") && !Character.isDigit(s.charAt(1)); }

        boolean setPorts(String v, boolean n) {
            if (dport != null) return false; // a second port match in one rule: leave it to "unsupported"
            List<PortRange> ranges = new ArrayList<>();
            try {
                for (String part : v.split(",")) {
                    int c = part.indexOf(':');
                    // open ranges ":1024" / "1024:" are legal in iptables
                    int from = c < 0 ? Integer.parseInt(part) : c == 0 ? 0 : Integer.parseInt(part.substring(0, c));
                    int to = c < 0 ? from : c == part.length() - 1 ? 65535 : Integer.parseInt(part.substring(c + 1));
                    if (from < 0 || to > 65535 || from > to) return false;
                    ranges.add(new PortRange(from, to));
                }
            } catch (NumberFormatException e) {
                return false; // service names etc.
            }
            dport = new PortMatch(ranges, n);
            return true;
        }

        boolean setState(String v, boolean n) {
            if (state != null || v.isEmpty()) return false;
            Set<String> s = new LinkedHashSet<>();
            for (String x : v.split(",")) s.add(x.trim().toUpperCase(Locale.ROOT));
            state = new StateMatch(s, n);
            return true;
        }

        static String normProto(String p) {
            String l = p.toLowerCase(Locale.ROOT);
            return switch (l) {
                case "6" -> "tcp";
                case "17" -> "udp";
                case "1" -> "icmp";
                case "0" -> "all";
                default -> l;
            };
        }
    }
}
