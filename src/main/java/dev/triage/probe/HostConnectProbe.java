package dev.triage.probe;

import dev.triage.docker.EngineUnreachableException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The write-up's "--network host" comparison: connect to the service from the host's own network
 * namespace, which does not cross the bridge's forwarding path. If this fails too, the service
 * itself is down, not the bridge.
 */
public final class HostConnectProbe implements Probe<HostConnectProbe.Evidence> {

    public record Evidence(String address, int port, String reply, String error, long millis) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("host-connect", Evidence.class)
            .outcomes("answered", "refused", "timeout", "no-reply", "unreachable", "not-local", "rootless")
            .fine("answered")
            .requires("address", "port")
            .optional("send", "connect-timeout");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws EngineUnreachableException {
        String address = params.get("address");
        int port = params.getInt("port", 0);
        var info = context.docker().info();
        if (info.rootless()) {
            Evidence ev = new Evidence(address, port, null, "rootless engine: its networks live in a user namespace", 0);
            return ProbeResult.of("rootless", ev, "the engine is rootless: its bridge is not the host's, so the host cannot stand in");
        }
        if (!info.local()) {
            Evidence ev = new Evidence(address, port, null, "engine is not on this machine: " + info.endpoint(), 0);
            return ProbeResult.of("not-local", ev, "the engine runs elsewhere (" + info.endpoint()
                    + "), so this machine cannot stand in for its host network");
        }
        Duration limit = params.duration("connect-timeout", Duration.ofSeconds(3));
        Duration left = context.atLeast(Duration.ofMillis(500), Duration.ofMillis(200), "the connection from the host");
        int millis = (int) Math.min(limit.toMillis(), left.toMillis());
        String send = params.get("send", "PING");
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), millis);
            socket.setSoTimeout(millis);
            try {
                socket.getOutputStream().write((send + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String reply = readLine(socket.getInputStream());
                long took = elapsed(start);
                return ProbeResult.of("answered", new Evidence(address, port, reply, null, took),
                        address + ":" + port + " answered '" + reply + "' from the host network (" + took + " ms)");
            } catch (SocketTimeoutException e) {
                return fail("no-reply", address, port, e, start, "accepts connections but sent nothing back within " + millis + " ms");
            }
        } catch (ConnectException e) {
            return fail("refused", address, port, e, start, "connection refused: nothing listens there");
        } catch (NoRouteToHostException e) {
            return fail("unreachable", address, port, e, start, "no route to host");
        } catch (SocketTimeoutException e) {
            return fail("timeout", address, port, e, start, "the connection got no answer within " + millis + " ms");
        } catch (IOException e) {
            return fail("refused", address, port, e, start, String.valueOf(e.getMessage()));
        }
    }

    private static ProbeResult<Evidence> fail(String outcome, String address, int port, Exception e, long start, String why) {
        long took = elapsed(start);
        return ProbeResult.of(outcome, new Evidence(address, port, null, String.valueOf(e.getMessage()), took),
                address + ":" + port + " from the host network: " + why);
    }

    /** Reads one line, at most 512 bytes: enough for PONG or a banner. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while (sb.length() < 512 && (c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
