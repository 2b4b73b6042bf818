package dev.triage.probe;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;

/**
 * Opens a TCP connection to a target from the host itself, and for implicit-TLS ports (465 by
 * default) tries a TLS handshake on it. Sends nothing else: the peer may be someone's mail server.
 * The handshake only shows that TLS is spoken; the certificate is reported, not judged here.
 */
public final class TcpConnectProbe implements Probe<TcpConnectProbe.Evidence> {

    public record Evidence(String target, String address, int port, long millis, String error, boolean tlsTried,
                           Boolean tlsOk, String tlsProtocol, String tlsCipher, String peerSubject, String tlsError) { }

    @Override
    public String kind() { return "tcp-connect"; }

    @Override
    public Set<String> outcomes() { return Set.of("connected", "refused", "timeout", "unreachable", "dns-failure"); }

    @Override
    public Set<String> requiredParams() { return Set.of("target"); }

    @Override
    public Set<String> optionalParams() { return Set.of("tls", "connect-timeout"); }

    @Override
    public Class<Evidence> evidenceType() { return Evidence.class; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String target = params.get("target");
        HostPort hp = HostPort.parse(target);
        String host = hp.host();
        int port = hp.port();
        boolean tls = switch (params.get("tls", "auto")) {
            case "yes" -> true;
            case "no" -> false;
            default -> port == 465 || port == 993 || port == 995;
        };
        Duration limit = params.duration("connect-timeout", Duration.ofSeconds(3));
        Duration left = context.atLeast(Duration.ofMillis(500), Duration.ofMillis(200), "the connection from the host");
        int millis = (int) Math.min(limit.toMillis(), left.toMillis());
        long start = System.nanoTime();
        InetAddress address;
        try {
            // IPv4 first: it is what a container on a default bridge uses, and what the host checks are about
            InetAddress[] all = InetAddress.getAllByName(host);
            address = java.util.Arrays.stream(all).filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(all[0]);
        } catch (UnknownHostException e) {
            return ProbeResult.of("dns-failure", new Evidence(target, null, port, elapsed(start), "unknown host " + host, false,
                    null, null, null, null, null), "'" + host + "' does not resolve on the host");
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), millis);
            long took = elapsed(start);
            if (!tls) {
                return ProbeResult.of("connected", new Evidence(target, address.getHostAddress(), port, took, null, false, null,
                        null, null, null, null), target + " accepts TCP from the host (" + took + " ms)");
            }
            Evidence e = handshake(socket, host, port, target, address.getHostAddress(), took,
                    (int) Math.max(200, millis - took));
            return ProbeResult.of("connected", e, target + " accepts TCP from the host (" + took + " ms); TLS "
                    + (Boolean.TRUE.equals(e.tlsOk()) ? "handshake works (" + e.tlsProtocol() + ", " + e.peerSubject() + ")"
                    : "handshake failed: " + e.tlsError()));
        } catch (ConnectException e) {
            return fail("refused", target, address, port, start, e, "refused the connection (RST or ICMP reject)");
        } catch (NoRouteToHostException e) {
            return fail("unreachable", target, address, port, start, e, "no route");
        } catch (SocketTimeoutException e) {
            return fail("timeout", target, address, port, start, e, "no answer within " + millis + " ms");
        } catch (IOException e) {
            return fail("unreachable", target, address, port, start, e, String.valueOf(e.getMessage()));
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a probe socket
            }
        }
    }

    /** Implicit TLS on the open socket; any certificate is accepted because only "is TLS spoken" is asked. */
    private static Evidence handshake(Socket plain, String host, int port, String target, String address, long took, int millis) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{new ReportOnly()}, null);
            plain.setSoTimeout(millis);
            try (SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true)) {
                ssl.startHandshake();
                var session = ssl.getSession();
                String subject = session.getPeerCertificates().length == 0 ? null
                        : ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
                return new Evidence(target, address, port, took, null, true, true, session.getProtocol(),
                        session.getCipherSuite(), subject, null);
            }
        } catch (IOException | GeneralSecurityException e) {
            String why = e instanceof java.io.EOFException || String.valueOf(e.getMessage()).contains("closed")
                    ? "the peer closed the connection during the handshake (unexpected eof)" : String.valueOf(e.getMessage());
            return new Evidence(target, address, port, took, null, true, false, null, null, null, why);
        }
    }

    private static ProbeResult<Evidence> fail(String outcome, String target, InetAddress address, int port, long start,
                                              Exception e, String why) {
        return ProbeResult.of(outcome, new Evidence(target, address.getHostAddress(), port, elapsed(start),
                String.valueOf(e.getMessage()), false, null, null, null, null, null), target + " from the host: " + why);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Accepts every chain: this probe reports the certificate, the TLS scenario judges it. */
    private static final class ReportOnly implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
