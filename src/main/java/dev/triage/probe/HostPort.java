package dev.triage.probe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A HOST:PORT target: the one grammar every scenario input (type: host-port) and every probe uses.
 * HOST is a name or IPv4 address, or an IPv6 address in brackets ([::1]:465); the port is 1-65535.
 * {@link #host()} is the bare host (an IPv6 address without its brackets), as sockets and nc take it.
 */
public record HostPort(String host, int port) {
    /** The grammar as a regular expression (no anchors: used with matches()). */
    public static final String REGEX = "(?:([A-Za-z0-9][A-Za-z0-9_.-]{0,252})|\\[([0-9A-Fa-f:.]{2,45})\\])"
            + ":([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
    public static final Pattern PATTERN = Pattern.compile(REGEX);
    /** What a refused value is told. */
    public static final String HINT = "HOST:PORT with a port from 1 to 65535, an IPv6 address in brackets ([2001:db8::5]:465)";

    public static HostPort parse(String target) {
        Matcher m = PATTERN.matcher(target == null ? "" : target);
        if (!m.matches()) {
            String t = String.valueOf(target);
            int colon = t.lastIndexOf(':');
            if (colon > 0 && colon < t.length() - 1 && t.substring(colon + 1).matches("[0-9]{1,9}")) {
                int port = Integer.parseInt(t.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port " + port + " is not a TCP port (1-65535)");
                }
            }
            throw new IllegalArgumentException("'" + t + "' is not " + HINT);
        }
        String host = m.group(1) != null ? m.group(1) : m.group(2);
        if (m.group(2) != null && !isIpv6(host)) {
            throw new IllegalArgumentException("'" + target + "': [" + host + "] is not an IPv6 address");
        }
        return new HostPort(host, Integer.parseInt(m.group(3)));
    }

    /** Whether a value follows the grammar (and a bracketed address is a real IPv6 address). */
    public static boolean valid(String target) {
        try {
            parse(target);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** HOST:PORT again, with brackets around an IPv6 address. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean isIpv6(String literal) {
        if (!literal.contains(":")) {
            return false;
        }
        try {
            // a literal with a colon is parsed, never looked up
            return java.net.InetAddress.getByName(literal) instanceof java.net.Inet6Address
                    || java.net.InetAddress.getByName(literal) instanceof java.net.Inet4Address; // ::ffff:a.b.c.d
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
