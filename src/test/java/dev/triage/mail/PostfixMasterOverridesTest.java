package dev.triage.mail;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostfixMasterOverridesTest {

    @Test
    void parsesServiceTypeParameterValueLinesAndSkipsComments() {
        var parsed = PostfixMasterOverrides.parse("""
                # proxy
                smtps/inet/smtpd_upstream_proxy_protocol=haproxy

                  submission/inet/smtpd_sasl_auth_enable = yes
                127.0.0.1:10025/inet/smtpd_authorized_xforward_hosts=127.0.0.0/8
                smtps inet n - n - - smtpd
                smtp/inet/postscreen_upstream_proxy_protocol=
                """);
        assertEquals(4, parsed.overrides().size());
        var first = parsed.overrides().get(0);
        assertEquals(List.of(2, "smtps", "inet", "smtpd_upstream_proxy_protocol", "haproxy"),
                List.of(first.number(), first.service(), first.type(), first.parameter(), first.value()));
        assertTrue(first.setsProxy());
        assertEquals("yes", parsed.overrides().get(1).value(), "spaces around = are trimmed");
        assertEquals("127.0.0.1:10025", parsed.overrides().get(2).service());
        assertFalse(parsed.overrides().get(3).setsProxy(), "an empty value switches the proxy off");
        assertEquals(List.of("line 6: smtps inet n - n - - smtpd"), parsed.malformed(), "a master.cf line is not an override");
    }

    @Test
    void renameKeepsEverythingElseByteForByte() {
        String text = "# mine\r\nsmtps/inet/smtpd_upstream_proxy_protocol=haproxy\r\nsmtp/inet/postscreen_upstream_proxy_protocol=haproxy\r\n"
                + "  smtps/inet/smtpd_tls_wrappermode=yes\r\n";
        assertEquals("# mine\r\nsubmissions/inet/smtpd_upstream_proxy_protocol=haproxy\r\nsmtp/inet/postscreen_upstream_proxy_protocol=haproxy\r\n"
                + "  submissions/inet/smtpd_tls_wrappermode=yes\r\n", PostfixMasterOverrides.renameService(text, "smtps", "submissions"));
    }

    @Test
    void renameIsIdempotentAndKeepsAMissingFinalNewline() {
        String once = PostfixMasterOverrides.renameService("smtps/inet/a=b", "smtps", "submissions");
        assertEquals("submissions/inet/a=b", once);
        assertEquals(once, PostfixMasterOverrides.renameService(once, "smtps", "submissions"));
    }

    @Test
    void renameDropsALineTheTargetAlreadyHasWithTheSameValue() {
        String text = "submissions/inet/smtpd_upstream_proxy_protocol=haproxy\nsmtps/inet/smtpd_upstream_proxy_protocol=haproxy\n";
        assertEquals("submissions/inet/smtpd_upstream_proxy_protocol=haproxy\n",
                PostfixMasterOverrides.renameService(text, "smtps", "submissions"));
    }

    @Test
    void renameRefusesAConflictInsteadOfGuessing() {
        String text = "submissions/inet/smtpd_upstream_proxy_protocol=\nsmtps/inet/smtpd_upstream_proxy_protocol=haproxy\n";
        var e = assertThrows(IllegalArgumentException.class, () -> PostfixMasterOverrides.renameService(text, "smtps", "submissions"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void renameLeavesCommentsAndOtherServicesThatMerelyContainTheName() {
        String text = "# smtps/inet/x=y\nmysmtps/inet/x=y\n";
        assertEquals(text, PostfixMasterOverrides.renameService(text, "smtps", "submissions"));
    }
}
