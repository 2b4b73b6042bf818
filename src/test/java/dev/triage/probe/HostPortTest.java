package dev.triage.probe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HostPortTest {
    @Test
    void targetsAreSplitAndPortsChecked() {
        assertEquals(new HostPort("smtp.test", 465), HostPort.parse("smtp.test:465"));
        assertEquals(new HostPort("198.18.0.2", 1), HostPort.parse("198.18.0.2:1"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("redis:99999"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("redis:0"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("redis"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("redis:"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("redis:smtp"));
    }

    @Test
    void ipv6IsInBracketsAndTheHostIsBare() {
        // issue 15: one HOST:PORT grammar, IPv6 included
        assertEquals(new HostPort("::1", 465), HostPort.parse("[::1]:465"));
        assertEquals(new HostPort("2001:db8::5", 25), HostPort.parse("[2001:db8::5]:25"));
        assertEquals("[::1]:465", HostPort.parse("[::1]:465").toString());
        assertEquals("smtp.test:465", HostPort.parse("smtp.test:465").toString());
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:465"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1]"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[::1]:70000"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[:::::]:465"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("[mail.test]:465"));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("a b:465"));
    }
}
