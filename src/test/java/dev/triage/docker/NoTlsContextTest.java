package dev.triage.docker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** An engine reached without TLS gets a TLS context that refuses every use instead of the JVM's default one. */
class NoTlsContextTest {
    @Test
    void everyUseIsRefused() {
        javax.net.ssl.SSLContext c = EngineConnector.NoTls.context();
        assertThrows(UnsupportedOperationException.class, c::getSocketFactory);
        assertThrows(UnsupportedOperationException.class, c::createSSLEngine);
        assertThrows(UnsupportedOperationException.class, () -> c.createSSLEngine("localhost", 2376));
        assertThrows(UnsupportedOperationException.class, c::getClientSessionContext);
        assertThrows(UnsupportedOperationException.class, () -> c.init(null, null, null));
    }
}
