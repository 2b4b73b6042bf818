package dev.triage.host.firewall.nft;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * The first packet of a new forwarded connection (a TCP SYN, or the first UDP datagram), as an
 * nftables forward or postrouting chain sees it. A null field is unknown: an expression that
 * reads it makes the walk undecided rather than guessed.
 *
 * @param ipv6 the packet's family: true for IPv6 (ip6 and inet tables), false for IPv4 (ip and inet)
 */
public record NftPacket(boolean ipv6, String iifname, String oifname, String saddr, String daddr,
                        String l4proto, Integer dport) {
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "ipv6-icmp");

    public NftPacket {
        if (saddr != null) {
            requireAddress(saddr, ipv6);
        }
        if (daddr != null) {
            requireAddress(daddr, ipv6);
        }
        if (l4proto != null) {
            l4proto = l4proto.toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(l4proto)) {
                throw new IllegalArgumentException("protocol must be tcp, udp, icmp or ipv6-icmp: " + l4proto);
            }
        }
        if (dport != null && (dport < 0 || dport > 65535)) {
            throw new IllegalArgumentException("not a port: " + dport);
        }
    }

    /** A new TCP connection, IPv4 or IPv6 after the addresses' form. */
    public static NftPacket tcp(String in, String out, String saddr, String daddr, int dport) {
        boolean v6 = (daddr != null && daddr.contains(":")) || (saddr != null && saddr.contains(":"));
        return new NftPacket(v6, in, out, saddr, daddr, "tcp", dport);
    }

    /** The conntrack state of a connection's first packet. */
    public String ctState() {
        return "new";
    }

    private static void requireAddress(String a, boolean v6) {
        if (address(a) == null || a.contains(":") != v6) {
            throw new IllegalArgumentException("not an IPv" + (v6 ? "6" : "4") + " address: " + a);
        }
    }

    /**
     * A literal address as an unsigned number, or null when it is not one. Only literals are parsed
     * (digits, dots, colons, hex): never a name, so nothing is ever looked up.
     */
    static BigInteger address(String a) {
        if (a == null || a.isEmpty() || !a.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        if (!a.contains(":")) {
            String[] octets = a.split("\\.", -1);
            if (octets.length != 4) {
                return null;
            }
            for (String o : octets) {
                if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
                    return null; // an invalid dotted quad would be looked up as a host name
                }
            }
        }
        try {
            return new BigInteger(1, InetAddress.getByName(a).getAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
