package dev.triage.tls;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateJudgeTest {

    @TempDir
    static Path dir;

    static TestPki pki;
    static TestPki.Leaf valid;
    static TestPki.Leaf expired;
    static TestPki.Leaf notYetValid;
    static TestPki.Leaf wrongName;
    static TestPki.Leaf wildcard;
    static TestPki.Leaf selfSigned;

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        valid = pki.leaf("valid", "localhost", "dns:localhost,ip:127.0.0.1,ip:::1", "-1d", 30);
        expired = pki.leaf("expired", "localhost", "dns:localhost,ip:127.0.0.1", "-400d", 30);
        notYetValid = pki.leaf("future", "localhost", "dns:localhost,ip:127.0.0.1", "+400d", 30);
        wrongName = pki.leaf("wrong", "other.example.test", "dns:other.example.test", "-1d", 30);
        wildcard = pki.leaf("wild", "example.test", "dns:*.example.test", "-1d", 30);
        selfSigned = pki.selfSigned("self", "localhost", "dns:localhost,ip:127.0.0.1");
    }

    private static X509Certificate[] chain(TestPki.Leaf leaf) throws Exception {
        String alias = leaf.keyStore().aliases().nextElement();
        Certificate[] c = leaf.keyStore().getCertificateChain(alias);
        return Arrays.stream(c).map(x -> (X509Certificate) x).toArray(X509Certificate[]::new);
    }

    private static CertificateJudge withCa() throws Exception {
        return CertificateJudge.withSystemTrust(pki.caPem());
    }

    private static CertificateJudge systemOnly() throws Exception {
        return CertificateJudge.withSystemTrust(null);
    }

    @Test
    void testCaItselfIsCurrentlyValid() throws Exception {
        X509Certificate ca = chain(valid)[1];
        ca.checkValidity(); // throws when the fixture's CA is out of date
        assertEquals("CN=Triage Test CA", ca.getSubjectX500Principal().getName());
    }

    @Test
    void validLeafWithCaFileIsVerified() throws Exception {
        CertificateJudge.Judgement j = withCa().judge(chain(valid), "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.NONE, j.problem(), j.problemText());
        assertEquals("", j.problemText());
        assertTrue(j.trusted());
        assertNull(j.trustError());
        assertTrue(j.hostnameMatches());
        assertEquals("CN=localhost", j.subject());
        assertEquals("CN=Triage Test CA", j.issuer());
        assertTrue(j.names().contains("localhost"), j.names().toString());
        assertTrue(j.names().contains("127.0.0.1"), j.names().toString());
        assertEquals(valid.certificate().getNotAfter().toInstant(), j.notAfter());
        assertEquals(2, j.chain().size());
        assertTrue(j.chain().get(0).startsWith("CN=localhost [localhost, 127.0.0.1"), j.chain().get(0));
        assertTrue(j.chain().get(1).contains("issued by CN=Triage Test CA"), j.chain().get(1));
    }

    @Test
    void validLeafWithoutCaFileIsUntrusted() throws Exception {
        CertificateJudge.Judgement j = systemOnly().judge(chain(valid), "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.UNTRUSTED, j.problem());
        assertFalse(j.trusted());
        assertTrue(j.trustError() != null && !j.trustError().isEmpty());
        assertTrue(j.problemText().contains("CN=Triage Test CA"), j.problemText());
        assertTrue(j.problemText().contains("system store"), j.problemText());
        assertTrue(j.hostnameMatches(), "the name still matches; only trust is missing");
    }

    @Test
    void selfSignedIsUntrustedEvenWithTheCaFile() throws Exception {
        CertificateJudge.Judgement j = withCa().judge(chain(selfSigned), "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.UNTRUSTED, j.problem());
        assertTrue(j.problemText().contains(pki.caPem().toString()), "names the CA file it also tried: " + j.problemText());
    }

    @Test
    void expiredComesFirstWithOrWithoutCaFile() throws Exception {
        for (CertificateJudge judge : new CertificateJudge[]{withCa(), systemOnly()}) {
            CertificateJudge.Judgement j = judge.judge(chain(expired), "localhost", Instant.now());
            assertEquals(CertificateJudge.Problem.EXPIRED, j.problem(), j.problemText());
            assertTrue(j.problemText().startsWith("the server's certificate expired on"), j.problemText());
            assertTrue(j.problemText().contains("(370 days ago)"), j.problemText());
        }
        // a wrong name does not hide the date either
        CertificateJudge.Judgement j = systemOnly().judge(chain(expired), "mail.example.test", Instant.now());
        assertEquals(CertificateJudge.Problem.EXPIRED, j.problem());
        assertFalse(j.hostnameMatches());
    }

    @Test
    void notYetValid() throws Exception {
        CertificateJudge.Judgement j = withCa().judge(chain(notYetValid), "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.NOT_YET_VALID, j.problem(), j.problemText());
        assertTrue(j.problemText().contains("is valid only from"), j.problemText());
        assertTrue(j.problemText().contains("clock"), j.problemText());
    }

    @Test
    void anOutOfDateExtraCertificateInATrustedChainDoesNotMatter() throws Exception {
        // a fullchain.pem with a stale cross-sign: trust was validated on a path without it
        X509Certificate[] c = {valid.certificate(), expired.certificate()};
        CertificateJudge.Judgement j = withCa().judge(c, "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.NONE, j.problem(), j.problemText());
    }

    @Test
    void dateOfAChainCertificateExplainsAnUntrustedChain() throws Exception {
        // not trusted: the dates of what was sent come first, the second certificate is named
        X509Certificate[] c = {valid.certificate(), expired.certificate()};
        CertificateJudge.Judgement j = systemOnly().judge(c, "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.EXPIRED, j.problem());
        assertTrue(j.problemText().startsWith("chain certificate 2 (CN=localhost) expired on"), j.problemText());
    }

    @Test
    void wrongNameWithCaFileIsNameMismatch() throws Exception {
        CertificateJudge.Judgement j = withCa().judge(chain(wrongName), "localhost", Instant.now());
        assertEquals(CertificateJudge.Problem.NAME_MISMATCH, j.problem(), j.problemText());
        assertTrue(j.trusted());
        assertFalse(j.hostnameMatches());
        assertEquals("it is issued for other.example.test, not for localhost", j.problemText());
    }

    @Test
    void validLeafForAnotherHostnameIsNameMismatch() throws Exception {
        CertificateJudge.Judgement j = withCa().judge(chain(valid), "mail.example.test", Instant.now());
        assertEquals(CertificateJudge.Problem.NAME_MISMATCH, j.problem());
        assertTrue(j.problemText().endsWith("not for mail.example.test"), j.problemText());
    }

    @Test
    void wildcardCoversExactlyOneLabel() throws Exception {
        X509Certificate w = wildcard.certificate();
        assertTrue(CertificateJudge.matches(w, "mail.example.test"));
        assertTrue(CertificateJudge.matches(w, "MX1.Example.TEST"), "case-insensitive");
        assertFalse(CertificateJudge.matches(w, "example.test"), "not the bare domain");
        assertFalse(CertificateJudge.matches(w, "a.mail.example.test"), "not two labels");
        assertFalse(CertificateJudge.matches(w, "mail.example.test.evil"), "not another suffix");
        assertFalse(CertificateJudge.matches(w, "mailexample.test"));
        assertFalse(CertificateJudge.matches(w, ".example.test"), "an empty label is no label");
        assertEquals(CertificateJudge.Problem.NONE,
                withCa().judge(new X509Certificate[]{w, chain(wildcard)[1]}, "smtp.example.test", Instant.now()).problem());
    }

    @Test
    void ipSansMatchIpLiteralsOnly() throws Exception {
        X509Certificate v = valid.certificate();
        assertTrue(CertificateJudge.matches(v, "127.0.0.1"));
        assertTrue(CertificateJudge.matches(v, "::1"));
        assertTrue(CertificateJudge.matches(v, "[::1]"));
        assertTrue(CertificateJudge.matches(v, "0:0:0:0:0:0:0:1"));
        assertFalse(CertificateJudge.matches(v, "127.0.0.2"));
        assertFalse(CertificateJudge.matches(v, "::2"));
        assertTrue(CertificateJudge.matches(v, "localhost"));
        assertFalse(CertificateJudge.matches(wrongName.certificate(), "127.0.0.1"));
        CertificateJudge.Judgement j = withCa().judge(chain(valid), "127.0.0.1", Instant.now());
        assertEquals(CertificateJudge.Problem.NONE, j.problem(), j.problemText());
    }

    @Test
    void caFileThatIsNoCertificateIsAClearError() throws Exception {
        Path text = dir.resolve("not-a-cert.pem");
        Files.writeString(text, "this is not a certificate\n");
        CertificateException e = assertThrows(CertificateException.class, () -> CertificateJudge.withSystemTrust(text));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("certificate"), e.getMessage());

        Path key = valid.keyPem(); // a PEM file, but a key, not a certificate
        e = assertThrows(CertificateException.class, () -> CertificateJudge.withSystemTrust(key));
        assertTrue(e.getMessage().startsWith(key.toString()), e.getMessage());

        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "");
        e = assertThrows(CertificateException.class, () -> CertificateJudge.withSystemTrust(empty));
        assertTrue(e.getMessage().startsWith(empty.toString()), e.getMessage());
    }

    @Test
    void caFileMayHoldTheWholeChainAndDer() throws Exception {
        // the leaf's chain PEM (leaf + CA) is a valid CA file; the CA in DER form too
        assertEquals(CertificateJudge.Problem.NONE,
                CertificateJudge.withSystemTrust(valid.chainPem()).judge(chain(valid), "localhost", Instant.now()).problem());
        Path der = dir.resolve("ca.der");
        Files.write(der, chain(valid)[1].getEncoded());
        assertEquals(CertificateJudge.Problem.NONE,
                CertificateJudge.withSystemTrust(der).judge(chain(valid), "localhost", Instant.now()).problem());
    }
}
