package dev.triage.probe;

import dev.triage.tls.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tls-handshake probe against TLS servers on 127.0.0.1 inside this JVM, with TestPki certificates. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsHandshakeProbeTest {

    @TempDir
    static Path dir;

    static TestPki pki;
    static TestPki.Leaf valid;
    static TestPki.Leaf expired;
    static TestPki.Leaf notYetValid;

    private final List<ServerSocket> listeners = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        valid = pki.leaf("valid", "localhost", "dns:localhost,ip:127.0.0.1", "-1d", 30);
        expired = pki.leaf("expired", "localhost", "dns:localhost,ip:127.0.0.1", "-400d", 30);
        notYetValid = pki.leaf("future", "localhost", "dns:localhost,ip:127.0.0.1", "+400d", 30);
    }

    @AfterEach
    void closeServers() throws Exception {
        for (ServerSocket l : listeners) {
            l.close();
        }
        for (Thread t : threads) {
            t.join(2000);
        }
    }

    private interface Handler {
        void handle(Socket s) throws Exception;
    }

    private static InetAddress loopback() throws IOException {
        return InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
    }

    /** Serves one connection with the handler; returns "127.0.0.1:port". */
    private String serve(ServerSocket listener, Handler handler) {
        listeners.add(listener);
        Thread t = new Thread(() -> {
            try (Socket s = listener.accept()) {
                handler.handle(s);
            } catch (Exception e) {
                // the client closes without close_notify; nothing to report
            }
        }, "tls-probe-test-server");
        t.setDaemon(true);
        t.start();
        threads.add(t);
        return "127.0.0.1:" + listener.getLocalPort();
    }

    private String tlsServer(TestPki.Leaf leaf) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(leaf.keyStore(), leaf.password());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, loopback());
        return serve(listener, s -> {
            ((SSLSocket) s).startHandshake();
            drain(s.getInputStream());
        });
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away
        }
    }

    private static ProbeResult<TlsHandshakeProbe.Evidence> probe(Map<String, Object> params) throws Exception {
        return new TlsHandshakeProbe().run(new ProbeParams(params), new ProbeContext(null, null, Instant.now().plusSeconds(6)));
    }

    private static Map<String, Object> params(String target, String... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("target", target);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    @Test
    void probeDeclaresItsKindAndOutcomes() {
        TlsHandshakeProbe p = new TlsHandshakeProbe();
        assertEquals("tls-handshake", p.spec().kind());
        assertTrue(p.spec().outcomes().containsAll(List.of("not-given", "verified", "expired", "not-yet-valid", "untrusted",
                "name-mismatch", "peer-closed", "plaintext", "silent", "handshake-failed", "smtp-rejected", "no-starttls",
                "refused", "timeout", "unreachable", "dns-failure")));
        assertEquals(java.util.Set.of("target"), p.spec().requiredParams());
    }

    @Test
    void emptyTargetIsNotGiven() throws Exception {
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(""));
        assertEquals("not-given", r.outcome());
        assertEquals("", r.evidence().connection().target());
        assertEquals("implicit", r.evidence().connection().mode());
        assertEquals("none", r.evidence().connection().proxyHeader());
        // not given means no network and no CA file read: a missing ca does not matter
        assertEquals("not-given", probe(params("", "ca", dir.resolve("missing.pem").toString())).outcome());
    }

    @Test
    void validCertificateWithCaAndHostnameIsVerified() throws Exception {
        String target = tlsServer(valid);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString(),
                "hostname", "localhost"));
        assertEquals("verified", r.outcome(), r.summary());
        TlsHandshakeProbe.Evidence e = r.evidence();
        assertEquals(target, e.connection().target());
        assertEquals("127.0.0.1", e.connection().address());
        assertEquals("implicit", e.connection().mode());
        assertEquals("none", e.connection().proxyHeader());
        assertEquals("localhost", e.hostname());
        assertEquals("CN=localhost", e.certificate().subject());
        assertEquals("CN=Triage Test CA", e.certificate().issuer());
        assertTrue(e.certificate().names().contains("localhost"), String.valueOf(e.certificate().names()));
        assertEquals(valid.certificate().getNotAfter().toInstant().toString(), e.certificate().notAfter());
        assertEquals(valid.certificate().getNotBefore().toInstant().toString(), e.certificate().notBefore());
        assertEquals(Boolean.TRUE, e.certificate().trusted());
        assertEquals(Boolean.TRUE, e.certificate().hostnameMatches());
        assertEquals("", e.certificate().certificateProblem());
        assertNull(e.connection().error());
        assertNotNull(e.session().protocol());
        assertNotNull(e.session().cipher());
        assertEquals(2, e.certificate().chain().size());
        assertTrue(r.summary().contains("certificate valid for localhost"), r.summary());
    }

    @Test
    void ipTargetWithoutHostnameIsCheckedAgainstTheIpSan() throws Exception {
        String target = tlsServer(valid);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString()));
        assertEquals("verified", r.outcome(), r.summary());
        assertEquals("127.0.0.1", r.evidence().hostname());
    }

    @Test
    void expiredCertificateIsExpired() throws Exception {
        String target = tlsServer(expired);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString(),
                "hostname", "localhost"));
        assertEquals("expired", r.outcome(), r.summary());
        assertTrue(r.evidence().certificate().certificateProblem().contains("expired on"), r.evidence().certificate().certificateProblem());
        assertEquals(expired.certificate().getNotAfter().toInstant().toString(), r.evidence().certificate().notAfter());
        assertTrue(r.summary().contains("handshake works"), r.summary());
        assertTrue(r.summary().contains(r.evidence().certificate().certificateProblem()), r.summary());
    }

    @Test
    void futureCertificateIsNotYetValid() throws Exception {
        String target = tlsServer(notYetValid);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString(),
                "hostname", "localhost"));
        assertEquals("not-yet-valid", r.outcome(), r.summary());
        assertFalse(r.evidence().certificate().certificateProblem().isEmpty());
    }

    @Test
    void withoutAHostnameAMismatchAgainstTheAddressIsNoVerdictButAWarning() throws Exception {
        // issue 15: without hostname= there is no name to check against; the address is not one
        TestPki.Leaf named = pki.leaf("named", "mail.example.test", "dns:mail.example.test", "-1d", 30);
        String target = tlsServer(named);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString()));
        assertEquals("verified", r.outcome(), r.summary());
        assertNull(r.evidence().certificate().hostnameMatches());
        assertEquals("", r.evidence().certificate().certificateProblem());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).contains("name was not checked") && r.warnings().get(0).contains("hostname="),
                r.warnings().get(0));
        assertTrue(r.summary().contains("not checked"), r.summary());
        // named, the same certificate is a mismatch
        String again = tlsServer(named);
        ProbeResult<TlsHandshakeProbe.Evidence> given = probe(params(again, "ca", pki.caPem().toString(),
                "hostname", "localhost"));
        assertEquals("name-mismatch", given.outcome(), given.summary());
        assertTrue(given.warnings().isEmpty());
    }

    @Test
    void anotherHostnameIsNameMismatch() throws Exception {
        String target = tlsServer(valid);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString(),
                "hostname", "mail.example.test"));
        assertEquals("name-mismatch", r.outcome(), r.summary());
        assertEquals(Boolean.FALSE, r.evidence().certificate().hostnameMatches());
        assertEquals(Boolean.TRUE, r.evidence().certificate().trusted());
        assertEquals("mail.example.test", r.evidence().hostname());
        assertTrue(r.evidence().certificate().certificateProblem().contains("not for mail.example.test"),
                r.evidence().certificate().certificateProblem());
    }

    @Test
    void withoutCaFileTheTestCaIsUntrusted() throws Exception {
        String target = tlsServer(valid);
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "hostname", "localhost"));
        assertEquals("untrusted", r.outcome(), r.summary());
        assertEquals(Boolean.FALSE, r.evidence().certificate().trusted());
        assertNotNull(r.evidence().certificate().trustError());
        assertTrue(r.evidence().certificate().certificateProblem().contains("not trusted"), r.evidence().certificate().certificateProblem());
        assertEquals("CN=localhost", r.evidence().certificate().subject());
    }

    @Test
    void plainTextAnswerIsPlaintextWithTheServerText() throws Exception {
        String target = serve(new ServerSocket(0, 50, loopback()), s -> {
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(5); // the ClientHello record header, then its body
            in.readNBytes(((head[3] & 0xFF) << 8) | (head[4] & 0xFF));
            s.getOutputStream().write("421 4.3.0 mail.example.test Server local error\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            drain(in);
        });
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params(target, "ca", pki.caPem().toString(),
                "hostname", "localhost"));
        assertEquals("plaintext", r.outcome(), r.summary());
        assertEquals("421 4.3.0 mail.example.test Server local error", r.evidence().dialog().serverText());
        assertTrue(r.evidence().connection().error().contains("wrong version number"), r.evidence().connection().error());
        assertNull(r.evidence().certificate().subject());
        assertNull(r.evidence().certificate().certificateProblem());
        assertTrue(r.summary().contains(target), r.summary());
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback())) {
            port = s.getLocalPort();
        }
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params("127.0.0.1:" + port));
        assertEquals("refused", r.outcome(), r.summary());
        assertEquals(port, r.evidence().connection().port());
    }

    @Test
    void starttlsModeAndProxyAreReportedInTheEvidence() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback())) {
            port = s.getLocalPort();
        }
        ProbeResult<TlsHandshakeProbe.Evidence> r = probe(params("127.0.0.1:" + port, "mode", "starttls", "proxy", "v2"));
        assertEquals("refused", r.outcome());
        assertEquals("starttls", r.evidence().connection().mode());
        assertEquals("v2", r.evidence().connection().proxyHeader());
        assertTrue(r.summary().contains("STARTTLS after a PROXY v2 header"), r.summary());
        assertThrows(IllegalArgumentException.class, () -> probe(params("127.0.0.1:" + port, "mode", "smtps")));
        assertThrows(IllegalArgumentException.class, () -> probe(params("127.0.0.1:" + port, "proxy", "v3")));
    }

    @Test
    void missingCaFileThrowsNamingTheFile() throws Exception {
        String target = tlsServer(valid);
        Path missing = dir.resolve("no-such-ca.pem");
        Exception e = assertThrows(Exception.class, () -> probe(params(target, "ca", missing.toString())));
        assertTrue(String.valueOf(e.getMessage()).contains(missing.toString()), String.valueOf(e));
    }

    @Test
    void caFileThatIsNoCertificateOrADirectoryThrowsNamingTheFile() throws Exception {
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        Exception e = assertThrows(Exception.class, () -> probe(params("127.0.0.1:1", "ca", garbage.toString())));
        assertTrue(String.valueOf(e.getMessage()).contains(garbage.toString()), String.valueOf(e));

        Path folder = Files.createDirectories(dir.resolve("ca-folder"));
        e = assertThrows(Exception.class, () -> probe(params("127.0.0.1:1", "ca", folder.toString())));
        assertTrue(String.valueOf(e.getMessage()).contains(folder.toString()), String.valueOf(e));
    }
}
