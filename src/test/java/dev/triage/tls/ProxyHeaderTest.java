package dev.triage.tls;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Byte-exact checks against haproxy's doc/proxy-protocol.txt, with documentation addresses only. */
class ProxyHeaderTest {

    private static InetSocketAddress at(int port, int... octets) throws UnknownHostException {
        byte[] b = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            b[i] = (byte) octets[i];
        }
        return new InetSocketAddress(InetAddress.getByAddress(b), port); // no DNS: raw bytes
    }

    private static final int[] V6_SRC = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01}; // 2001:db8::1
    private static final int[] V6_DST = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02}; // 2001:db8::2

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void v1Tcp4IsTheDocumentedLine() throws Exception {
        byte[] line = ProxyHeader.v1(at(56324, 192, 0, 2, 1), at(465, 198, 18, 0, 1));
        assertArrayEquals("PROXY TCP4 192.0.2.1 198.18.0.1 56324 465\r\n".getBytes(StandardCharsets.US_ASCII), line);
        assertArrayEquals(line, ProxyHeader.build(ProxyHeader.Version.V1, at(56324, 192, 0, 2, 1), at(465, 198, 18, 0, 1)));
    }

    @Test
    void v1Tcp6NamesTheFamilyAndBothAddresses() throws Exception {
        byte[] line = ProxyHeader.v1(at(56324, V6_SRC), at(465, V6_DST));
        // Java writes IPv6 uncompressed; RFC 4291 section 2.2 form 1, which inet_pton (haproxy, Postfix) accepts
        assertEquals("PROXY TCP6 2001:db8:0:0:0:0:0:1 2001:db8:0:0:0:0:0:2 56324 465\r\n",
                new String(line, StandardCharsets.US_ASCII));
        assertTrue(line.length <= 107, "v1 lines are at most 107 bytes");
    }

    @Test
    void v1DropsTheIpv6ScopeId() throws Exception {
        byte[] fe80 = bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01);
        InetSocketAddress src = new InetSocketAddress(Inet6Address.getByAddress(null, fe80, 2), 1000);
        InetSocketAddress dst = new InetSocketAddress(Inet6Address.getByAddress(null, fe80, 2), 2000);
        assertEquals("PROXY TCP6 fe80:0:0:0:0:0:0:1 fe80:0:0:0:0:0:0:1 1000 2000\r\n",
                new String(ProxyHeader.v1(src, dst), StandardCharsets.US_ASCII));
    }

    @Test
    void v2Tcp4IsTheDocumentedBlock() throws Exception {
        byte[] expected = bytes(
                0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, // signature
                0x21, // version 2, command PROXY
                0x11, // AF_INET, STREAM
                0x00, 0x0C, // 12 bytes follow
                192, 0, 2, 1, // source 192.0.2.1
                198, 18, 0, 1, // destination 198.18.0.1
                0xDC, 0x04, // source port 56324
                0x01, 0xD1); // destination port 465
        byte[] actual = ProxyHeader.v2(at(56324, 192, 0, 2, 1), at(465, 198, 18, 0, 1));
        assertArrayEquals(expected, actual);
        assertEquals(16 + 12, actual.length);
        assertArrayEquals(expected, ProxyHeader.build(ProxyHeader.Version.V2, at(56324, 192, 0, 2, 1), at(465, 198, 18, 0, 1)));
    }

    @Test
    void v2Tcp6IsTheDocumentedBlock() throws Exception {
        byte[] expected = bytes(
                0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                0x21,
                0x21, // AF_INET6, STREAM
                0x00, 0x24, // 36 bytes follow
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
                0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
                0xDC, 0x04,
                0x01, 0xD1);
        byte[] actual = ProxyHeader.v2(at(56324, V6_SRC), at(465, V6_DST));
        assertArrayEquals(expected, actual);
        assertEquals(16 + 36, actual.length);
    }

    @Test
    void v2SignatureConstantIsTheDocumentedOne() {
        assertArrayEquals("\r\n\r\n\0\r\nQUIT\n".getBytes(StandardCharsets.US_ASCII), ProxyHeader.V2_SIGNATURE);
    }

    @Test
    void highPortsAreWrittenUnsigned() throws Exception {
        byte[] actual = ProxyHeader.v2(at(65535, 192, 0, 2, 1), at(32768, 198, 18, 0, 1));
        assertEquals((byte) 0xFF, actual[actual.length - 4]);
        assertEquals((byte) 0xFF, actual[actual.length - 3]);
        assertEquals((byte) 0x80, actual[actual.length - 2]);
        assertEquals((byte) 0x00, actual[actual.length - 1]);
    }

    @Test
    void mixedFamiliesAreRejected() throws Exception {
        InetSocketAddress v4 = at(56324, 192, 0, 2, 1);
        InetSocketAddress v6 = at(465, V6_DST);
        assertThrows(IllegalArgumentException.class, () -> ProxyHeader.v1(v4, v6));
        assertThrows(IllegalArgumentException.class, () -> ProxyHeader.v1(v6, v4));
        assertThrows(IllegalArgumentException.class, () -> ProxyHeader.v2(v4, v6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyHeader.v2(v6, v4));
        assertTrue(e.getMessage().contains("one family"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProxyHeader.build(ProxyHeader.Version.V1, v4, v6));
    }

    @Test
    void noneBuildsNothing() throws Exception {
        assertEquals(0, ProxyHeader.build(ProxyHeader.Version.NONE, at(1, 192, 0, 2, 1), at(2, 198, 18, 0, 1)).length);
    }

    @Test
    void versionParse() {
        assertEquals(ProxyHeader.Version.NONE, ProxyHeader.Version.parse(null));
        assertEquals(ProxyHeader.Version.NONE, ProxyHeader.Version.parse(""));
        assertEquals(ProxyHeader.Version.NONE, ProxyHeader.Version.parse("none"));
        assertEquals(ProxyHeader.Version.NONE, ProxyHeader.Version.parse("no"));
        assertEquals(ProxyHeader.Version.V1, ProxyHeader.Version.parse("v1"));
        assertEquals(ProxyHeader.Version.V1, ProxyHeader.Version.parse(" V1 "));
        assertEquals(ProxyHeader.Version.V1, ProxyHeader.Version.parse("1"));
        assertEquals(ProxyHeader.Version.V2, ProxyHeader.Version.parse("v2"));
        assertEquals(ProxyHeader.Version.V2, ProxyHeader.Version.parse("2"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyHeader.Version.parse("v3"));
        assertTrue(e.getMessage().contains("'v3'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProxyHeader.Version.parse("yes"));
        assertEquals("v1", ProxyHeader.Version.V1.label());
        assertEquals("none", ProxyHeader.Version.NONE.label());
    }
}
