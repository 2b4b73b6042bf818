package dev.triage.probe;

import dev.triage.host.HostSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Probes that read /proc and /sys, run against a fake root in a temp folder. */
class HostFileProbesTest {
    @TempDir
    Path root;
    private ProbeContext context;

    @BeforeEach
    void setUp() {
        context = new ProbeContext(null, new HostSystem(root), Instant.now().plusSeconds(5));
    }

    private void file(String absolute, String content) throws Exception {
        Path p = root.resolve(absolute.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private void bridgeNfCall(String v4, String v6) throws Exception {
        file("/proc/sys/net/bridge/bridge-nf-call-iptables", v4 + "\n");
        file("/proc/sys/net/bridge/bridge-nf-call-ip6tables", v6 + "\n");
    }

    private ProbeResult<BridgeNetfilterProbe.Evidence> bridgeNetfilter() {
        return new BridgeNetfilterProbe().run(new ProbeParams(Map.of()), context);
    }

    private ProbeResult<SysctlProbe.Evidence> sysctl(String key, String expect) {
        return new SysctlProbe().run(new ProbeParams(Map.of("key", key, "expect", expect)), context);
    }

    @Test
    void bridgeNetfilterMissingWithoutProcSysNetBridge() throws Exception {
        file("/proc/modules", "overlay 151552 0 - Live 0x0000000000000000\n");
        var r = bridgeNetfilter();
        assertEquals("missing", r.outcome());
        assertFalse(r.evidence().present());
        assertEquals("absent", r.evidence().loadedAs());
        assertNull(r.evidence().callIptables());
    }

    @Test
    void bridgeNetfilterDisabledWhenCallIptablesIsZero() throws Exception {
        file("/proc/modules", "br_netfilter 32768 0 - Live 0x0000000000000000\n");
        bridgeNfCall("0", "1");
        var r = bridgeNetfilter();
        assertEquals("disabled", r.outcome());
        assertTrue(r.evidence().present());
        assertEquals("module", r.evidence().loadedAs());
        assertEquals("0", r.evidence().callIptables());
        assertEquals("1", r.evidence().callIp6tables());
    }

    /** The connection under test is IPv4: ip6tables=0 alone does not let it bypass iptables. */
    @Test
    void bridgeNetfilterStaysEnabledForIpv4WhenOnlyIp6tablesIsZero() throws Exception {
        bridgeNfCall("1", "0");
        var r = bridgeNetfilter();
        assertEquals("enabled", r.outcome());
        assertTrue(r.summary().contains("IPv6 bridged traffic bypasses ip6tables"), r.summary());
    }

    @Test
    void bridgeNetfilterEnabledWhenBothAreOne() throws Exception {
        file("/proc/modules", "br_netfilter 32768 0 - Live 0x0000000000000000\n");
        bridgeNfCall("1", "1");
        var r = bridgeNetfilter();
        assertEquals("enabled", r.outcome());
        assertEquals("module", r.evidence().loadedAs());
    }

    @Test
    void bridgeNetfilterBuiltIntoTheKernelHasNoModulesLine() throws Exception {
        file("/proc/modules", "overlay 151552 0 - Live 0x0000000000000000\n");
        bridgeNfCall("1", "1");
        var r = bridgeNetfilter();
        assertEquals("enabled", r.outcome());
        assertEquals("built into the kernel", r.evidence().loadedAs());
    }

    @Test
    void sysctlWithTheExpectedValue() throws Exception {
        file("/proc/sys/net/ipv4/ip_forward", "1\n");
        var r = sysctl("net.ipv4.ip_forward", "1");
        assertEquals("expected", r.outcome());
        assertEquals("1", r.evidence().value());
        assertEquals("/proc/sys/net/ipv4/ip_forward", r.evidence().path());
    }

    @Test
    void sysctlWithAnotherValue() throws Exception {
        file("/proc/sys/net/ipv4/ip_forward", "0\n");
        var r = sysctl("net.ipv4.ip_forward", "1");
        assertEquals("different", r.outcome());
        assertEquals("0", r.evidence().value());
        assertEquals("1", r.evidence().expected());
    }

    @Test
    void sysctlThatDoesNotExist() {
        var r = sysctl("net.bridge.bridge-nf-call-iptables", "1");
        assertEquals("absent", r.outcome());
        assertNull(r.evidence().value());
    }

    @Test
    void sysctlRefusesAKeyThatLeavesProcSys() {
        assertThrows(IllegalArgumentException.class, () -> sysctl("net/../../../etc/shadow", "1"));
        assertThrows(IllegalArgumentException.class, () -> sysctl("/etc/shadow", "1"));
    }
}
