package dev.triage.probe;

/** A HOST:PORT target as scenarios pass it; the port is checked here once for every probe. */
public record HostPort(String host, int port) {

    public static HostPort parse(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException("'" + target + "' is not HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + target + "' has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port (1-65535)");
        }
        return new HostPort(target.substring(0, colon), port);
    }
}
