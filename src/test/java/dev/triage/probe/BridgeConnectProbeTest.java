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
}
