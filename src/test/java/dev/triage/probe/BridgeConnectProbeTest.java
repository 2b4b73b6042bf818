package dev.triage.probe;

import dev.triage.docker.ExecResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BridgeConnectProbeTest {
    private static final List<String> PING = List.of("redis-cli", "-h", "tsrv-x", "PING");

    private static String classify(String output, long exitCode) {
        return BridgeConnectProbe.classify(new ExecResult(PING, exitCode, output, false, 12));
    }

    @Test
    void addressesFromBusyboxNslookupSkipTheResolversOwnAddress() {
        String out = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\n\n"
                + "Non-authoritative answer:\nName:\ttsrv-x\nAddress: 172.18.0.2\n\n";
        assertEquals(List.of("172.18.0.2"), BridgeConnectProbe.addresses(out));
    }

    @Test
    void addressesOfNxdomainAreEmpty() {
        String out = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n** server can't find nosuchname: NXDOMAIN\n\n"
                + "** server can't find nosuchname: NXDOMAIN\n\n";
        assertEquals(List.of(), BridgeConnectProbe.addresses(out));
    }

    @Test
    void addressesListEachAddressOnceIncludingIpv6() {
        String out = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\tsrv\nAddress: 172.18.0.2\n\n"
                + "Name:\tsrv\nAddress: fd00::2\n\nName:\tsrv\nAddress: 172.18.0.2\n";
        assertEquals(List.of("172.18.0.2", "fd00::2"), BridgeConnectProbe.addresses(out));
    }

    @Test
    void pongIsAnswered() {
        assertEquals("answered", classify("PONG\n", 0));
    }

    @Test
    void anErrorReplyStillProvesTcpWorks() {
        assertEquals("answered", classify("-NOAUTH Authentication required.\n", 0));
    }

    @Test
    void nameNotKnownIsDnsFailure() {
        assertEquals("dns-failure", classify("Could not connect to Redis at x:6379: Name or service not known\n", 1));
    }

    @Test
    void connectionRefusedIsRefused() {
        assertEquals("refused", classify("Could not connect to Redis at x:6379: Connection refused\n", 1));
    }

    @Test
    void noRouteToHostIsUnreachable() {
        assertEquals("unreachable", classify("Could not connect to Redis at x:6379: No route to host\n", 1));
    }

    @Test
    void aTimedOutCommandIsTimeout() {
        assertEquals("timeout", BridgeConnectProbe.classify(new ExecResult(PING, null, "", true, 3000)));
    }

    @Test
    void oldBusyboxFormatWithHostNameAfterTheAddressIsRead() {
        assertEquals(List.of("172.18.0.2"),
                BridgeConnectProbe.addresses("Server:    127.0.0.11\nAddress 1: 127.0.0.11\n\nName:      tsrv-x\nAddress 1: 172.18.0.2 tsrv-x.test-net\n"));
    }

    @Test
    void durationsInMillisecondsAndSeconds() {
        var p = new ProbeParams(java.util.Map.of("a", "500ms", "b", "3s", "c", "1.5", "d", "soon"));
        assertEquals(java.time.Duration.ofMillis(500), p.duration("a", null));
        assertEquals(java.time.Duration.ofSeconds(3), p.duration("b", null));
        assertEquals(java.time.Duration.ofMillis(1500), p.duration("c", null));
        assertThrows(IllegalArgumentException.class, () -> p.duration("d", null));
    }

    @Test
    void aClientThatCannotRunRedisCliIsNotAnAnswer() {
        assertEquals("exec-failed", BridgeConnectProbe.classify(new ExecResult(List.of("redis-cli"), 127L,
                "timeout: can't execute 'redis-cli': No such file or directory\n", false, 5)));
        assertEquals("exec-failed", BridgeConnectProbe.classify(new ExecResult(List.of("redis-cli"), 126L,
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"redis-cli\": executable file not found in $PATH\n", false, 5)));
        assertEquals("exec-failed", BridgeConnectProbe.classify(new ExecResult(List.of("redis-cli"), 0L, "", false, 5)));
    }

    @Test
    void anyReplyOfTheServiceMeansTcpWorks() {
        assertEquals("answered", BridgeConnectProbe.classify(new ExecResult(List.of("redis-cli"), 1L,
                "Error: Protocol error, got \"2\" as reply type byte\n", false, 5)));
        assertEquals("answered", BridgeConnectProbe.classify(new ExecResult(List.of("redis-cli"), 1L,
                "Error: Connection reset by peer\n", false, 5)));
    }

    @Test
    void theResolverSayingNoIsToldFromAMissingNslookup() {
        assertTrue(BridgeConnectProbe.resolverSaidNo("** server can't find x: NXDOMAIN"));
        assertTrue(BridgeConnectProbe.resolverSaidNo(";; connection timed out; no servers could be reached"));
        assertFalse(BridgeConnectProbe.resolverSaidNo("OCI runtime exec failed: exec: \"nslookup\": executable file not found"));
    }
}
