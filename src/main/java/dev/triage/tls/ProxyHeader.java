package dev.triage.tls;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The PROXY protocol header a load balancer puts in front of a connection (haproxy
 * doc/proxy-protocol.txt), built here so triage can ask a server "do you expect one?". v1 is a
 * text line, v2 a binary block; both carry the client and the proxy address of this connection.
 */
public final class ProxyHeader {
    /** The 12-byte v2 signature: \r\n\r\n\0\r\nQUIT\n. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V1_MAX = 107;

    private ProxyHeader() { }

    /** Which header to send before the first byte of the real protocol. */
    public enum Version {
        NONE, V1, V2;

        public static Version parse(String text) {
            return switch (text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "", "none", "no" -> NONE;
                case "v1", "1" -> V1;
                case "v2", "2" -> V2;
                default -> throw new IllegalArgumentException("proxy must be none, v1 or v2, not '" + text + "'");
            };
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static byte[] build(Version version, InetSocketAddress source, InetSocketAddress destination) {
        return switch (version) {
            case NONE -> new byte[0];
            case V1 -> v1(source, destination);
            case V2 -> v2(source, destination);
        };
    }

    /** "PROXY TCP4 src dst sport dport\r\n"; both addresses must be of one family. */
    public static byte[] v1(InetSocketAddress source, InetSocketAddress destination) {
        String family = family(source, destination) == 4 ? "TCP4" : "TCP6";
        String line = "PROXY " + family + " " + source.getAddress().getHostAddress().replaceFirst("%.*$", "") + " "
                + destination.getAddress().getHostAddress().replaceFirst("%.*$", "") + " " + source.getPort() + " "
                + destination.getPort() + "\r\n";
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > V1_MAX) {
            throw new IllegalStateException("PROXY v1 line longer than 107 bytes");
        }
        return bytes;
    }

    /** Signature, version 2 + PROXY command (0x21), family + STREAM, length, addresses and ports. */
    public static byte[] v2(InetSocketAddress source, InetSocketAddress destination) {
        boolean ipv4 = family(source, destination) == 4;
        byte[] src = source.getAddress().getAddress();
        byte[] dst = destination.getAddress().getAddress();
        int length = src.length + dst.length + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + length);
        out.writeBytes(V2_SIGNATURE);
        out.write(0x21);
        out.write(ipv4 ? 0x11 : 0x21);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(src);
        out.writeBytes(dst);
        out.write(source.getPort() >> 8);
        out.write(source.getPort() & 0xFF);
        out.write(destination.getPort() >> 8);
        out.write(destination.getPort() & 0xFF);
        return out.toByteArray();
    }

    private static int family(InetSocketAddress source, InetSocketAddress destination) {
        boolean v4 = source.getAddress() instanceof Inet4Address && destination.getAddress() instanceof Inet4Address;
        boolean v6 = source.getAddress() instanceof Inet6Address && destination.getAddress() instanceof Inet6Address;
        if (!v4 && !v6) {
            throw new IllegalArgumentException("a PROXY header needs two addresses of one family");
        }
        return v4 ? 4 : 6;
    }
}
