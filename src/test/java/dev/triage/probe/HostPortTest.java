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
}
