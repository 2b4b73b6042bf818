package dev.triage.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostfixMasterCfProbeTest {
    @TempDir
    Path dir;

    private ProbeResult<PostfixMasterCfProbe.Evidence> lint(String text, String dovecot) throws Exception {
        Path file = dir.resolve("postfix-master.cf");
        if (text != null) {
            Files.writeString(file, text);
        }
        Map<String, Object> params = new java.util.HashMap<>(Map.of("file", file.toString()));
        if (dovecot != null) {
            Path conf = dir.resolve("dovecot.cf");
            Files.writeString(conf, dovecot);
            params.put("dovecot-conf", conf.toString());
        }
        return new PostfixMasterCfProbe().run(new ProbeParams(params), new ProbeContext(null, null, Instant.now().plusSeconds(5)));
    }

    @Test
    void theIncidentsLineIsSmtpsProxy() throws Exception {
        var r = lint("smtps/inet/smtpd_upstream_proxy_protocol=haproxy\nsubmission/inet/smtpd_upstream_proxy_protocol=haproxy\n", null);
        assertEquals("smtps-proxy", r.outcome());
        assertEquals(List.of("line 1: smtps/inet/smtpd_upstream_proxy_protocol=haproxy"), r.evidence().masterCf().smtpsLines());
        assertTrue(r.evidence().problems().get(0).contains("v13+ calls submissions"), r.evidence().problems().toString());
    }

    @Test
    void otherSmtpsLinesAreReportedToo() throws Exception {
        assertEquals("smtps-lines", lint("smtps/inet/smtpd_sasl_auth_enable=yes\n", null).outcome());
    }

    @Test
    void renamedFileIsClean() throws Exception {
        var r = lint("submissions/inet/smtpd_upstream_proxy_protocol=haproxy\n", null);
        assertEquals("clean", r.outcome());
        assertTrue(r.evidence().masterCf().submissionsProxy());
    }

    @Test
    void malformedLines() throws Exception {
        var r = lint("submissions inet n - n - - smtpd\n", null);
        assertEquals("malformed", r.outcome());
        assertEquals(List.of("line 1: submissions inet n - n - - smtpd"), r.evidence().masterCf().malformed());
    }

    @Test
    void proxyFor25And587ButNot465() throws Exception {
        var r = lint("smtp/inet/postscreen_upstream_proxy_protocol=haproxy\nsubmission/inet/smtpd_upstream_proxy_protocol=haproxy\n", null);
        assertEquals("proxy-not-on-465", r.outcome());
    }

    @Test
    void missingFileIsUnreadableNotClean() throws Exception {
        var r = lint(null, null);
        assertEquals("unreadable", r.outcome());
        assertTrue(r.evidence().error().contains("postfix-master.cf"), r.evidence().error());
    }

    @Test
    void notGivenIsSkipped() throws Exception {
        var r = new PostfixMasterCfProbe().run(new ProbeParams(Map.of("file", "")), new ProbeContext(null, null, Instant.now().plusSeconds(5)));
        assertEquals("not-given", r.outcome());
    }

    @Test
    void dovecotWithHaproxyButNoTrustedNetworks() throws Exception {
        var r = lint("submissions/inet/smtpd_upstream_proxy_protocol=haproxy\n", "service imap-login {\n  inet_listener imaps {\n    haproxy = yes\n  }\n}\n");
        assertEquals(Boolean.TRUE, r.evidence().dovecot().dovecotHaproxy());
        assertTrue(r.evidence().problems().stream().anyMatch(p -> p.contains("haproxy_trusted_networks is empty")));
        var ok = lint("submissions/inet/smtpd_upstream_proxy_protocol=haproxy\n",
                "haproxy_trusted_networks = 172.16.0.0/12\nservice imap-login {\n  inet_listener imaps {\n    haproxy = yes\n  }\n}\n");
        assertEquals("172.16.0.0/12", ok.evidence().dovecot().dovecotTrustedNetworks());
        assertEquals(List.of(), ok.evidence().problems());
    }
}
