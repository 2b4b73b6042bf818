package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.tls.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 003 on real servers: a private Postfix 3.7 (implicit TLS with and without
 * smtpd_upstream_proxy_protocol, STARTTLS ports, certificates from a test CA: valid, expired, not
 * yet valid, wrong name, self-signed) and HAProxy fronts with and without send-proxy(-v2), all on
 * loopback. Each verdict of smtps-proxy-protocol is asserted on its real reproduction.
 */
class SmtpsProxyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static MailServers servers;
    private static TestPki pki;

    @BeforeAll
    static void start() throws Exception {
        MailServers.assumeAvailable();
        // Postfix's own user must reach its data directory through this one
        dir = Files.createTempDirectory("triage-it-mail", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        pki = TestPki.create(dir.resolve("pki"));
        var valid = pki.leaf("valid", "mail.triage.test", "dns:localhost,dns:mail.triage.test,ip:127.0.0.1", "-1d", 30);
        var expired = pki.leaf("expired", "mail.triage.test", "dns:localhost,ip:127.0.0.1", "-400d", 30);
        var notYet = pki.leaf("notyet", "mail.triage.test", "dns:localhost,ip:127.0.0.1", "+400d", 30);
        var other = pki.leaf("other", "other.triage.test", "dns:other.triage.test", "-1d", 30);
        var self = pki.selfSigned("self", "mail.triage.test", "dns:localhost,ip:127.0.0.1");
        servers = new MailServers(dir.resolve("servers"))
                .smtpd("plain465", "smtpd_tls_wrappermode=yes")
                .smtpd("proxy465", "smtpd_tls_wrappermode=yes", "smtpd_upstream_proxy_protocol=haproxy")
                .smtpd("sub587", "smtpd_tls_security_level=may")
                .smtpd("sub587proxy", "smtpd_upstream_proxy_protocol=haproxy")
                .smtpd("notls587", "smtpd_tls_security_level=none")
                .smtpd("expired465", "smtpd_tls_wrappermode=yes", chain(expired))
                .smtpd("notyet465", "smtpd_tls_wrappermode=yes", chain(notYet))
                .smtpd("other465", "smtpd_tls_wrappermode=yes", chain(other))
                .smtpd("self465", "smtpd_tls_wrappermode=yes", chain(self));
        servers.front("unexpected", "plain465", "send-proxy")
                .front("v1ok", "proxy465", "send-proxy")
                .front("v2ok", "proxy465", "send-proxy-v2")
                .front("noheader", "proxy465", "");
        servers.start(valid.keyPem(), valid.chainPem());
    }

    private static String chain(TestPki.Leaf leaf) {
        return "smtpd_tls_chain_files=" + leaf.keyPem() + "," + leaf.chainPem();
    }

    @AfterAll
    static void stop() throws IOException {
        if (servers != null) {
            servers.close();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs the packaged jar's diagnose with --json; returns the document. */
    private static JsonNode diagnose(String... sets) throws IOException {
        List<String> args = new ArrayList<>(List.of("diagnose", "smtps-proxy-protocol", "--json"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        Sh.Result r = Sh.run(Sh.triage(args.toArray(String[]::new)), Map.of("TRIAGE_STATE_DIR", dir.resolve("state").toString()), 60);
        JsonNode doc = JSON.readTree(r.out());
        assertTrue(r.exit() >= 0 && r.exit() <= 2, "exit " + r.exit() + ": " + r.err());
        return doc;
    }

    private static String verdict(JsonNode doc) {
        return doc.path("verdict").path("id").asText("(none: " + doc.path("inconclusiveReason").asText() + ")");
    }

    private static String step(JsonNode doc, String test) {
        for (JsonNode s : doc.path("steps")) {
            if (s.path("test").asText().equals(test)) {
                return s.path("outcome").asText();
            }
        }
        return "(not run)";
    }

    private static String trusted() {
        return "ca=" + pki.caPem();
    }

    @Test
    void healthyWithoutProxy() throws IOException {
        JsonNode d = diagnose("server=" + servers.address("plain465"), "starttls=" + servers.address("sub587"),
                "hostname=localhost", trusted());
        assertEquals("healthy", verdict(d), d.toPrettyString());
        assertEquals("peer-closed", step(d, "direct-v1"), "a server that expects no header drops one");
        assertEquals("verified", step(d, "starttls"));
    }

    @Test
    void healthyBehindProxiesSendingV1AndV2() throws IOException {
        for (String front : List.of("v1ok", "v2ok")) {
            JsonNode d = diagnose("server=" + servers.address("proxy465"), "front=" + servers.address(front),
                    "hostname=localhost", trusted());
            assertEquals("healthy", verdict(d), front + ": " + d.toPrettyString());
            assertEquals("plaintext", step(d, "direct"), "Postfix answers in plain text without the header it expects");
        }
    }

    @Test
    void frontSendsHeaderServerDoesNotExpect() throws IOException {
        JsonNode d = diagnose("server=" + servers.address("plain465"), "front=" + servers.address("unexpected"),
                "hostname=localhost", trusted());
        assertEquals("proxy-header-unexpected", verdict(d), d.toPrettyString());
        assertEquals("peer-closed", step(d, "front"), "the incident's 'unexpected eof while reading'");
    }

    @Test
    void serverExpectsHeaderNobodySends() throws IOException {
        JsonNode viaFront = diagnose("server=" + servers.address("proxy465"), "front=" + servers.address("noheader"),
                "hostname=localhost", trusted());
        assertEquals("proxy-header-required", verdict(viaFront), viaFront.toPrettyString());
        assertTrue(viaFront.path("verdict").path("explanation").asText().contains("421 4.3.0"),
                "shows what Postfix sent: " + viaFront.path("verdict").path("explanation").asText());
        JsonNode direct = diagnose("server=" + servers.address("proxy465"), "hostname=localhost", trusted());
        assertEquals("proxy-header-expected", verdict(direct), "without front= a header-expecting server is not a fault by itself");
        assertEquals("inconclusive", direct.path("status").asText());
    }

    @Test
    void renamedSmtpsOverrideIsTheRootCauseAndItsFixRoundTrips() throws IOException {
        Path masterCf = dir.resolve("postfix-master.cf");
        byte[] original = ("# docker-mailserver overrides\r\nsmtp/inet/postscreen_upstream_proxy_protocol=haproxy\r\n"
                + "smtps/inet/smtpd_upstream_proxy_protocol=haproxy\r\nsubmission/inet/smtpd_upstream_proxy_protocol=haproxy\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(masterCf, original);
        String[] sets = {"server=" + servers.address("plain465"), "front=" + servers.address("unexpected"),
                "hostname=localhost", trusted(), "master-cf=" + masterCf};
        JsonNode d = diagnose(sets);
        assertEquals("dms-smtps-renamed", verdict(d), d.toPrettyString());
        assertTrue(d.path("verdict").path("explanation").asText().contains("line 3: smtps/inet/smtpd_upstream_proxy_protocol=haproxy"));

        Map<String, String> env = Map.of("TRIAGE_STATE_DIR", dir.resolve("state").toString());
        List<String> fix = new ArrayList<>(List.of("fix", "smtps-proxy-protocol", "--yes"));
        for (String s : sets) {
            fix.add("--set");
            fix.add(s);
        }
        Sh.Result applied = Sh.run(Sh.triage(fix.toArray(String[]::new)), env, 60);
        assertTrue(applied.out().contains("-smtps/inet/smtpd_upstream_proxy_protocol=haproxy")
                && applied.out().contains("+submissions/inet/smtpd_upstream_proxy_protocol=haproxy"), "previewed as a diff: " + applied.out());
        assertEquals(1, applied.exit(), "applied and verified by re-reading the file, but not in effect before a restart: "
                + applied.out() + applied.err());
        assertTrue(applied.out().contains("Still to do: Restart the mail server container")
                && applied.out().contains("--set container="), applied.out());
        assertEquals(new String(original).replace("smtps/", "submissions/"), Files.readString(masterCf));

        // the running server has not changed: now the mismatch has no file to blame
        assertEquals("proxy-header-unexpected", verdict(diagnose(sets)));
        Sh.Result again = Sh.run(Sh.triage(fix.toArray(String[]::new)), env, 60);
        assertTrue(again.out().contains("fix 'restart-mailserver' is not available: needs --set container=..."),
                "the file now sets the header; the restart that loads it is what is left: " + again.out());

        Sh.Result undo = Sh.run(Sh.triage("undo", "--yes"), env, 60);
        assertEquals(0, undo.exit(), undo.out() + undo.err());
        assertArrayEquals(original, Files.readAllBytes(masterCf), "undo restores the file byte for byte");
    }

    @Test
    void certificateVerdicts() throws IOException {
        assertEquals("certificate-expired", verdict(diagnose("server=" + servers.address("expired465"), "hostname=localhost", trusted())));
        assertEquals("certificate-not-yet-valid", verdict(diagnose("server=" + servers.address("notyet465"), "hostname=localhost", trusted())));
        JsonNode mismatch = diagnose("server=" + servers.address("other465"), "hostname=localhost", trusted());
        assertEquals("certificate-name-mismatch", verdict(mismatch));
        assertTrue(mismatch.path("verdict").path("explanation").asText().contains("other.triage.test"));
        assertEquals("certificate-untrusted", verdict(diagnose("server=" + servers.address("self465"), "hostname=localhost", trusted())));
        assertEquals("certificate-untrusted", verdict(diagnose("server=" + servers.address("plain465"), "hostname=localhost")),
                "a private CA is untrusted unless ca= is given");
        JsonNode throughFront = diagnose("server=" + servers.address("proxy465"), "front=" + servers.address("v1ok"),
                "hostname=mail.example.test", trusted());
        assertEquals("certificate-name-mismatch", verdict(throughFront), "the certificate clients get through the front");
    }

    @Test
    void refusedAndStarttlsVerdicts() throws IOException {
        int closed = MailServers.freePort();
        assertEquals("tls-refused", verdict(diagnose("server=127.0.0.1:" + closed, "hostname=localhost", trusted())));
        assertEquals("starttls-unavailable", verdict(diagnose("server=" + servers.address("plain465"),
                "starttls=" + servers.address("notls587"), "hostname=localhost", trusted())));
        JsonNode waiting = diagnose("server=" + servers.address("plain465"), "starttls=" + servers.address("sub587proxy"),
                "hostname=localhost", trusted());
        assertEquals("starttls-expects-proxy-header", verdict(waiting), waiting.toPrettyString());
        assertEquals("silent", step(waiting, "starttls"));
    }

    @Test
    void fullRunWithAServerWaitingForAHeaderStaysWithinTwelveSeconds() throws IOException {
        long start = System.nanoTime();
        JsonNode d = diagnose("server=" + servers.address("proxy465"), "front=" + servers.address("noheader"),
                "starttls=" + servers.address("sub587proxy"), "hostname=localhost", trusted());
        long wall = (System.nanoTime() - start) / 1_000_000;
        assertEquals("proxy-header-required", verdict(d), d.toPrettyString());
        assertEquals("silent", step(d, "starttls"), "the STARTTLS port waited for a header that never came");
        assertTrue(wall < 12_000, "the whole run (JVM start included) took " + wall + " ms; Postfix's 5 s header wait"
                + " must not add up");
    }

    @Test
    void frontAndServerFailuresThatAreNotAboutTheHeader() throws IOException {
        int closed = MailServers.freePort();
        assertEquals("front-unreachable", verdict(diagnose("server=" + servers.address("plain465"),
                "front=127.0.0.1:" + closed, "hostname=localhost", trusted())));
        JsonNode plainFront = diagnose("server=" + servers.address("plain465"), "front=" + servers.address("sub587"),
                "hostname=localhost", trusted());
        assertEquals("front-tls-failed", verdict(plainFront), "a front that answers in plain SMTP: " + plainFront.toPrettyString());
        JsonNode starttlsAsServer = diagnose("server=" + servers.address("sub587"), "hostname=localhost", trusted());
        assertEquals("tls-handshake-failed", verdict(starttlsAsServer));
        assertTrue(starttlsAsServer.path("verdict").path("explanation").asText().contains("220 mail.triage.test ESMTP"),
                starttlsAsServer.path("verdict").path("explanation").asText());
    }

    @Test
    void masterCfFindingsWhenTlsWorks() throws IOException {
        Path ignored = dir.resolve("ignored-master.cf");
        Files.writeString(ignored, "smtps/inet/smtpd_sasl_auth_enable=yes\n");
        JsonNode d = diagnose("server=" + servers.address("plain465"), "hostname=localhost", trusted(), "master-cf=" + ignored);
        assertEquals("dms-smtps-ignored", verdict(d));
        assertEquals(0, d.path("fixes").size(), "no rename where TLS works: it would switch the settings on");
        Path malformed = dir.resolve("malformed-master.cf");
        Files.writeString(malformed, "submissions inet n - n - - smtpd\n");
        assertEquals("master-cf-problems", verdict(diagnose("server=" + servers.address("plain465"), "hostname=localhost",
                trusted(), "master-cf=" + malformed)));
        assertEquals("master-cf-unreadable", verdict(diagnose("server=" + servers.address("plain465"), "hostname=localhost",
                trusted(), "master-cf=" + dir.resolve("no-such-file.cf"))));
    }
}
