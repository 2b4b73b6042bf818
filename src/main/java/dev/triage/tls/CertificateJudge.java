package dev.triage.tls;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Judges the chain a server presented, in the order an admin fixes things: dates first (an
 * expired certificate is the answer whatever else is wrong), then trust (the system store plus an
 * optional CA file), then whether it names the host clients use.
 */
public final class CertificateJudge {

    public enum Problem { NONE, EXPIRED, NOT_YET_VALID, UNTRUSTED, NAME_MISMATCH }

    /** What was found; {@code problemText} says it in plain words, empty when there is no problem. */
    public record Judgement(Problem problem, String problemText, String subject, List<String> names, String issuer,
                            Instant notBefore, Instant notAfter, boolean trusted, String trustError,
                            boolean hostnameMatches, List<String> chain) { }

    private final List<X509TrustManager> trust;
    private final String caFile;

    private CertificateJudge(List<X509TrustManager> trust, String caFile) {
        this.trust = trust;
        this.caFile = caFile;
    }

    /** The JDK's trust store, plus every certificate in {@code caFile} (PEM or DER) when given. */
    public static CertificateJudge withSystemTrust(Path caFile) throws IOException, GeneralSecurityException {
        List<X509TrustManager> managers = new ArrayList<>();
        managers.add(trustManager(null));
        if (caFile != null) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = new java.io.ByteArrayInputStream(
                    dev.triage.host.HostFiles.read(caFile, dev.triage.host.HostFiles.MAX_CONFIG, "CA file"))) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (CertificateException e) {
                throw new CertificateException(caFile + " holds no readable certificate (PEM or DER): " + e.getMessage());
            }
            if (certs.isEmpty()) {
                throw new CertificateException(caFile + " holds no certificate");
            }
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca" + i++, c);
            }
            managers.add(trustManager(store));
        }
        return new CertificateJudge(List.copyOf(managers), caFile == null ? null : caFile.toString());
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (var tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in this JDK");
    }

    public Judgement judge(X509Certificate[] chain, String hostname, Instant now) {
        X509Certificate leaf = chain[0];
        List<String> names = names(leaf);
        List<String> described = new ArrayList<>();
        for (X509Certificate c : chain) {
            described.add(describe(c));
        }
        String trustError = null;
        boolean trusted = false;
        for (X509TrustManager tm : trust) {
            try {
                // "UNKNOWN" is what JSSE passes for TLS 1.3; no key-usage guess for older versions
                tm.checkServerTrusted(chain, "UNKNOWN");
                trusted = true;
                break;
            } catch (CertificateException e) {
                if (trustError == null) {
                    trustError = rootCause(e);
                }
            }
        }
        boolean matches = hostname == null || hostname.isEmpty() || matches(leaf, hostname);
        Problem problem = Problem.NONE;
        String text = "";
        // a trusted chain was validated on a path whose dates are fine (an extra expired cross-sign in
        // fullchain.pem does not matter); otherwise the dates of what was sent explain the failure first
        for (int i = 0; i < (trusted ? 1 : chain.length) && problem == Problem.NONE; i++) {
            X509Certificate c = chain[i];
            String which = i == 0 ? "the server's certificate" : "chain certificate " + (i + 1) + " ("
                    + c.getSubjectX500Principal().getName() + ")";
            if (now.isAfter(c.getNotAfter().toInstant())) {
                problem = Problem.EXPIRED;
                text = which + " expired on " + c.getNotAfter().toInstant() + " ("
                        + ChronoUnit.DAYS.between(c.getNotAfter().toInstant(), now) + " days ago)";
            } else if (now.isBefore(c.getNotBefore().toInstant())) {
                problem = Problem.NOT_YET_VALID;
                text = which + " is valid only from " + c.getNotBefore().toInstant() + " (in "
                        + ChronoUnit.DAYS.between(now, c.getNotBefore().toInstant()) + " days; check the server's clock too)";
            }
        }
        if (problem == Problem.NONE && !trusted) {
            problem = Problem.UNTRUSTED;
            text = "issuer " + (chain[chain.length - 1].getIssuerX500Principal().getName()) + " is not trusted by the system store"
                    + (caFile == null ? "" : " nor by " + caFile) + " (" + trustError + ")";
        }
        if (problem == Problem.NONE && !matches) {
            problem = Problem.NAME_MISMATCH;
            text = "it is issued for " + (names.isEmpty() ? "no name" : String.join(", ", names)) + ", not for " + hostname;
        }
        return new Judgement(problem, text, leaf.getSubjectX500Principal().getName(), names,
                leaf.getIssuerX500Principal().getName(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
                trusted, trusted ? null : trustError, matches, described);
    }

    static String describe(X509Certificate c) {
        List<String> names = names(c);
        return c.getSubjectX500Principal().getName() + (names.isEmpty() ? "" : " [" + String.join(", ", names) + "]")
                + ", issued by " + c.getIssuerX500Principal().getName() + ", valid " + c.getNotBefore().toInstant()
                + " to " + c.getNotAfter().toInstant();
    }

    /** DNS and IP subject alternative names; the CN only when there are none (as clients still accept). */
    static List<String> names(X509Certificate c) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = c.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2 || type == 7) { // dNSName, iPAddress
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException ignored) {
            // an unreadable SAN extension: fall back to the CN
        }
        if (names.isEmpty()) {
            String cn = commonName(c);
            if (cn != null) {
                names.add(cn);
            }
        }
        return names;
    }

    private static String commonName(X509Certificate c) {
        for (String part : c.getSubjectX500Principal().getName().split(",")) {
            if (part.strip().startsWith("CN=")) {
                return part.strip().substring(3);
            }
        }
        return null;
    }

    /** RFC 6125: exact, or one wildcard as the whole left-most label; IP literals only against IP names. */
    static boolean matches(X509Certificate leaf, String hostname) {
        String host = hostname.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean literal = host.matches("[0-9.]+") || host.contains(":");
        for (String name : names(leaf)) {
            String n = name.toLowerCase(Locale.ROOT);
            if (literal) {
                if (sameAddress(n, host)) {
                    return true;
                }
                continue;
            }
            if (n.equals(host) || n.equals(host + ".")) {
                return true;
            }
            if (n.startsWith("*.") && host.indexOf('.') > 0
                    && host.substring(host.indexOf('.') + 1).equals(n.substring(2)) && n.substring(2).contains(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            if (!(a.matches("[0-9.]+") || a.contains(":"))) {
                return false;
            }
            return InetAddress.getByName(a).equals(InetAddress.getByName(b)); // literals only: no DNS lookup
        } catch (IOException e) {
            return false;
        }
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
