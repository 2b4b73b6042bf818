package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.tls.CertificateJudge;
import dev.triage.tls.ProxyHeader;
import dev.triage.tls.TlsDialog;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A mail client's TLS handshake with a port: implicit TLS (465) or SMTP STARTTLS (587/25),
 * optionally preceded by a PROXY header (v1 or v2) to learn what the server expects. When the
 * handshake completes the certificate is judged (dates, trust, name); when it does not, the outcome
 * names how it failed, in the words openssl users know. An empty target means "not given".
 */
public final class TlsHandshakeProbe implements Probe<TlsHandshakeProbe.Evidence> {

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Connection connection, @JsonUnwrapped Dialog dialog, @JsonUnwrapped Session session,
                           String hostname, @JsonUnwrapped Certificate certificate) {
        public Evidence {
            connection = connection == null ? new Connection(null, null, 0, null, null, 0, null) : connection;
            dialog = dialog == null ? Dialog.NONE : dialog;
            session = session == null ? Session.NONE : session;
            certificate = certificate == null ? Certificate.NONE : certificate;
        }
    }

    /** Where and how it connected ({@code mode} implicit or starttls, the PROXY header sent); {@code error} if it failed. */
    public record Connection(String target, String address, int port, String mode, String proxyHeader, long millis,
                             String error) { }

    /** What the server said before TLS: its first words, its SMTP banner, whether it offered STARTTLS. */
    public record Dialog(String serverText, String banner, Boolean starttlsOffered) {
        static final Dialog NONE = new Dialog(null, null, null);
    }

    /** What the handshake agreed on. */
    public record Session(String protocol, String cipher) {
        static final Session NONE = new Session(null, null);
    }

    /** The server's certificate and its judgement; {@code hostnameMatches} null when no name was checked. */
    public record Certificate(String subject, List<String> names, String issuer, String notBefore, String notAfter,
                              Boolean trusted, String trustError, Boolean hostnameMatches, String certificateProblem,
                              List<String> chain) {
        static final Certificate NONE = new Certificate(null, null, null, null, null, null, null, null, null, null);

        static Certificate of(CertificateJudge.Judgement j, Boolean hostnameMatches) {
            return new Certificate(j.subject(), j.names(), j.issuer(), j.notBefore().toString(), j.notAfter().toString(),
                    j.trusted(), j.trustError(), hostnameMatches, j.problemText(), j.chain());
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("tls-handshake", Evidence.class)
            .outcomes("not-given", "verified", "expired", "not-yet-valid", "untrusted", "name-mismatch",
                    "peer-closed", "plaintext", "silent", "handshake-failed", "smtp-rejected", "no-starttls",
                    "refused", "timeout", "unreachable", "dns-failure")
            .fine("verified")
            // a TLS session was made; what the certificate is worth is a separate question
            .group("handshake-worked", "verified", "expired", "not-yet-valid", "untrusted", "name-mismatch")
            .requires("target")
            .optional("mode", "proxy", "hostname", "ca", "connect-timeout", "answer-timeout");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        String target = params.get("target");
        TlsDialog.Mode mode = switch (params.get("mode", "implicit")) {
            case "implicit" -> TlsDialog.Mode.IMPLICIT;
            case "starttls" -> TlsDialog.Mode.STARTTLS;
            default -> throw new IllegalArgumentException("mode must be implicit or starttls, not '" + params.get("mode") + "'");
        };
        ProxyHeader.Version proxy = ProxyHeader.Version.parse(params.get("proxy"));
        String how = (mode == TlsDialog.Mode.STARTTLS ? "STARTTLS" : "TLS") + (proxy == ProxyHeader.Version.NONE ? ""
                : " after a PROXY " + proxy.label() + " header");
        if (target.isEmpty()) {
            return ProbeResult.of("not-given", new Evidence(new Connection("", null, 0, mode.name().toLowerCase(java.util.Locale.ROOT),
                    proxy.label(), 0, null), Dialog.NONE, Session.NONE, null, Certificate.NONE), "not given: skipped");
        }
        HostPort hp = HostPort.parse(target);
        String hostname = params.get("hostname", hp.host());
        // read the CA file before touching the network: a wrong path is the user's to fix, not a TLS result
        CertificateJudge judge = CertificateJudge.withSystemTrust(params.has("ca") ? Path.of(params.get("ca")) : null);
        Duration left = context.atLeast(Duration.ofMillis(500), Duration.ofMillis(100), "the " + how + " check");
        TlsDialog.Result r = TlsDialog.run(new TlsDialog.Request(hp.host(), hp.port(), mode, proxy,
                params.duration("connect-timeout", Duration.ofSeconds(3)),
                params.duration("answer-timeout", Duration.ofSeconds(3)), Instant.now().plus(left), hostname));
        if (!r.handshakeDone()) {
            String outcome = switch (r.failure()) {
                case DNS -> "dns-failure";
                case REFUSED -> "refused";
                case CONNECT_TIMEOUT -> "timeout";
                case UNREACHABLE -> "unreachable";
                case SILENT -> "silent";
                case SMTP_REJECTED -> "smtp-rejected";
                case NO_STARTTLS -> "no-starttls";
                case PEER_CLOSED -> "peer-closed";
                case PLAINTEXT -> "plaintext";
                default -> "handshake-failed";
            };
            return ProbeResult.of(outcome, new Evidence(new Connection(target, r.address(), hp.port(),
                    mode.name().toLowerCase(java.util.Locale.ROOT), proxy.label(), r.millis(), r.detail()),
                    new Dialog(r.serverText(), r.banner(), r.starttlsOffered()), Session.NONE, hostname, Certificate.NONE),
                    target + ", " + how + ": " + r.detail());
        }
        CertificateJudge.Judgement j = judge.judge(r.chain(), hostname, Instant.now());
        String unchecked = null;
        if (j.problem() == CertificateJudge.Problem.NAME_MISMATCH && !params.has("hostname")) {
            // no hostname= given: the target's address is no name clients use, so a mismatch against it says
            // nothing; the name test is inconclusive, and the rest of the certificate is judged on its own
            unchecked = "the certificate's name was not checked: it " + j.problemText().replaceFirst("^it ", "")
                    + ", and no hostname= was given to check it against (give the name clients use)";
            j = judge.judge(r.chain(), null, Instant.now());
        }
        String outcome = switch (j.problem()) {
            case NONE -> "verified";
            case EXPIRED -> "expired";
            case NOT_YET_VALID -> "not-yet-valid";
            case UNTRUSTED -> "untrusted";
            case NAME_MISMATCH -> "name-mismatch";
        };
        String summary = target + ", " + how + ": handshake works (" + r.protocol() + ")" + (j.problem()
                != CertificateJudge.Problem.NONE ? "; but " + j.problemText()
                : unchecked == null ? "; certificate valid for " + hostname
                : "; certificate valid, its name not checked (no hostname= given)");
        ProbeResult<Evidence> result = ProbeResult.of(outcome, new Evidence(new Connection(target, r.address(), hp.port(),
                mode.name().toLowerCase(java.util.Locale.ROOT), proxy.label(), r.millis(), null),
                new Dialog(r.serverText(), r.banner(), r.starttlsOffered()), new Session(r.protocol(), r.cipher()), hostname,
                Certificate.of(j, unchecked == null ? j.hostnameMatches() : null)), summary);
        return unchecked == null ? result : result.warning(target + " (" + how + "): " + unchecked);
    }
}
