package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.tls.ProxyHeader;
import dev.triage.tls.TlsDialog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;

/**
 * Opens a TCP connection to a target from the host itself, and for implicit-TLS ports (465 by
 * default) does a TLS handshake instead, through the same client as the tls-handshake probe.
 * Sends nothing else: the peer may be someone's mail server. The handshake only shows that TLS is
 * spoken; the certificate is reported, not judged here.
 */
public final class TcpConnectProbe implements Probe<TcpConnectProbe.Evidence> {

    /** Reports show both parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Connection connection, @JsonUnwrapped Handshake handshake) {
        public Evidence {
            connection = connection == null ? new Connection(null, null, 0, 0, null) : connection;
            handshake = handshake == null ? Handshake.notTried(null) : handshake;
        }
    }

    /** The TCP connection: {@code error} says why there was none. */
    public record Connection(String target, String address, int port, long millis, String error) { }

    /** The TLS handshake on an implicit-TLS port; {@code tls} says what came of it in words. */
    public record Handshake(boolean tlsTried, Boolean tlsOk, String tlsProtocol, String tlsCipher, String peerSubject,
                            String tlsError, String tls) {
        static Handshake notTried(String why) {
            return new Handshake(false, null, null, null, null, null, why);
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("tcp-connect", Evidence.class)
            .outcomes("connected", "refused", "timeout", "unreachable", "dns-failure")
            .fine("connected")
            .requires("target")
            .optional("tls", "connect-timeout");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String target = params.get("target");
        HostPort hp = HostPort.parse(target);
        boolean tls = switch (params.get("tls", "auto")) {
            case "yes" -> true;
            case "no" -> false;
            default -> hp.port() == 465 || hp.port() == 993 || hp.port() == 995;
        };
        Duration limit = params.duration("connect-timeout", Duration.ofSeconds(3));
        Duration left = context.atLeast(Duration.ofMillis(500), Duration.ofMillis(200), "the connection from the host");
        TlsDialog.Result r = tls
                ? TlsDialog.run(new TlsDialog.Request(hp.host(), hp.port(), TlsDialog.Mode.IMPLICIT, ProxyHeader.Version.NONE,
                        limit, left, Instant.now().plus(left)))
                : connectOnly(hp, (int) Math.min(limit.toMillis(), left.toMillis()));
        String outcome = switch (r.failure()) {
            case DNS -> "dns-failure";
            case REFUSED -> "refused";
            case CONNECT_TIMEOUT -> "timeout";
            case UNREACHABLE -> "unreachable";
            default -> "connected"; // TCP worked; what TLS said is evidence
        };
        if (!outcome.equals("connected")) {
            return ProbeResult.of(outcome, new Evidence(new Connection(target, r.address(), hp.port(), r.millis(), r.detail()),
                    Handshake.notTried("not tried (no connection)")), target + " from the host: " + r.detail());
        }
        String tcp = target + " accepts TCP from the host (" + r.connectMillis() + " ms)";
        if (!tls) {
            return ProbeResult.of(outcome, new Evidence(new Connection(target, r.address(), hp.port(), r.connectMillis(), null),
                    Handshake.notTried("not tried (port " + hp.port() + " is not a TLS port)")), tcp);
        }
        boolean ok = r.handshakeDone();
        String subject = ok && r.chain().length > 0 ? r.chain()[0].getSubjectX500Principal().getName() : null;
        String tlsText = ok ? "handshake works (" + r.protocol() + ", " + subject + ")" : "handshake failed: " + r.detail();
        ProbeResult<Evidence> result = ProbeResult.of(outcome, new Evidence(new Connection(target, r.address(), hp.port(),
                r.connectMillis(), null), new Handshake(true, ok, r.protocol(), r.cipher(), subject, ok ? null : r.detail(), tlsText)),
                tcp + "; TLS " + tlsText);
        // reachable is the answer (TCP works), but a TLS port that does not speak TLS is worth saying first
        return ok ? result : result.warning(target + " accepts TCP, but TLS was expected on port " + hp.port()
                + " and the handshake failed: " + r.detail());
    }

    /** A bare TCP connect, classified like the TLS client's connect stage. */
    private static TlsDialog.Result connectOnly(HostPort hp, int millis) {
        long start = System.nanoTime();
        InetAddress address;
        try {
            address = TlsDialog.resolve(hp.host());
        } catch (UnknownHostException e) {
            return TlsDialog.Result.failed(TlsDialog.Failure.DNS, "'" + hp.host() + "' does not resolve on the host", null, start);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, hp.port()), Math.max(1, millis));
            long took = (System.nanoTime() - start) / 1_000_000;
            return new TlsDialog.Result(TlsDialog.Failure.NONE, "", address.getHostAddress(), took, took, null, null, null,
                    null, null, null);
        } catch (IOException e) {
            return TlsDialog.Result.failed(TlsDialog.connectFailure(e), TlsDialog.connectDetail(e, hp.port(), millis),
                    address.getHostAddress(), start);
        }
    }
}
