package dev.triage.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15: a TLS port that answers in plain text (an SMTP banner) is reachable, so the outcome stays
 * "connected"; it says so as a warning, not mid-paragraph.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TcpConnectWarningTest {

    @Test
    void aPlainTextAnswerWhereTlsWasExpectedIsAWarning() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            Thread t = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.getOutputStream().write("220 mail.example.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    InputStream in = s.getInputStream();
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (Exception e) {
                    // the client went away
                }
            });
            t.setDaemon(true);
            t.start();
            String target = "127.0.0.1:" + listener.getLocalPort();
            ProbeResult<TcpConnectProbe.Evidence> r = new TcpConnectProbe().run(new ProbeParams(Map.of("target", target,
                    "tls", "yes", "connect-timeout", "2s")), new ProbeContext(null, null, Instant.now().plusSeconds(6)));
            assertEquals("connected", r.outcome(), r.summary());
            assertEquals(Boolean.FALSE, r.evidence().handshake().tlsOk());
            assertEquals(1, r.warnings().size(), r.warnings()::toString);
            assertTrue(r.warnings().get(0).contains("TLS was expected"), r.warnings().get(0));
            assertTrue(r.evidence().handshake().tls().startsWith("handshake failed"), r.evidence().handshake().tls());
            assertFalse(r.evidence().handshake().tls().contains("false"), r.evidence().handshake().tls());
        }
    }

    @Test
    void aPortThatIsNoTlsPortCarriesNoWarning() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            String target = "127.0.0.1:" + listener.getLocalPort();
            ProbeResult<TcpConnectProbe.Evidence> r = new TcpConnectProbe().run(new ProbeParams(Map.of("target", target,
                    "tls", "no")), new ProbeContext(null, null, Instant.now().plusSeconds(6)));
            assertEquals("connected", r.outcome(), r.summary());
            assertTrue(r.warnings().isEmpty());
        }
    }
}
