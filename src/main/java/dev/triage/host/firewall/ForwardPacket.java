package dev.triage.host.firewall;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The first packet of a forwarded connection, as the FORWARD chain sees it. A null field means "unknown":
 * rules that test it are reported as uncertain instead of being guessed.
 *
 * @param protocol "tcp", "udp" or "icmp"
 * @param dport    destination port, null for icmp or unknown
 * @param ctstate  conntrack state(s), comma separated, e.g. "NEW" (default) or "NEW,DNAT"
 */
public record ForwardPacket(String inInterface, String outInterface, String source, String destination,
                            String protocol, Integer dport, String ctstate) {

    public ForwardPacket {
        if (source != null && parseIpv4(source) < 0) throw new IllegalArgumentException("not an IPv4 address: " + source);
        if (destination != null && parseIpv4(destination) < 0)
            throw new IllegalArgumentException("not an IPv4 address: " + destination);
        if (protocol != null) {
            protocol = protocol.toLowerCase(Locale.ROOT);
            if (!Set.of("tcp", "udp", "icmp").contains(protocol))
                throw new IllegalArgumentException("protocol must be tcp, udp or icmp: " + protocol);
        }
        if (dport != null && (dport < 0 || dport > 65535)) throw new IllegalArgumentException("bad port: " + dport);
        ctstate = ctstate == null || ctstate.isBlank() ? "NEW" : ctstate.toUpperCase(Locale.ROOT).replace(" ", "");
    }

    /** A NEW connection. */
    public ForwardPacket(String inInterface, String outInterface, String source, String destination,
                         String protocol, Integer dport) {
        this(inInterface, outInterface, source, destination, protocol, dport, "NEW");
    }

    /** A NEW TCP connection to {@code dport}. */
    public static ForwardPacket tcp(String in, String out, String source, String destination, int dport) {
        return new ForwardPacket(in, out, source, destination, "tcp", dport);
    }

    /** Same packet with another conntrack state, e.g. "ESTABLISHED". */
    public ForwardPacket withCtstate(String state) {
        return new ForwardPacket(inInterface, outInterface, source, destination, protocol, dport, state);
    }

    Set<String> ctstates() {
        return Arrays.stream(ctstate.split(",")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    /** Dotted quad to an unsigned 32-bit value, or -1 when it is not one. */
    static long parseIpv4(String s) {
        String[] p = s.split("\\.", -1);
        if (p.length != 4) return -1;
        long v = 0;
        for (String o : p) {
            if (!o.matches("\\d{1,3}")) return -1;
            int b = Integer.parseInt(o);
            if (b > 255) return -1;
            v = (v << 8) | b;
        }
        return v;
    }
}
