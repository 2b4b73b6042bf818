package dev.triage.tls;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One client conversation against small servers on 127.0.0.1 ephemeral ports, inside this JVM. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsDialogTest {

    private static final String PLAIN_421 = "421 4.3.0 mail.example.test Server local error\r\n";

    @TempDir
    static Path dir;

    static TestPki.Leaf leaf;
    static SSLContext serverTls;

    private final List<Server> servers = new ArrayList<>();

    @BeforeAll
    static void makePki() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        leaf = pki.leaf("server", "localhost", "dns:localhost,ip:127.0.0.1", "-1d", 30);
        serverTls = serverContext(leaf);
    }

    static SSLContext serverContext(TestPki.Leaf leaf) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(leaf.keyStore(), leaf.password());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    @AfterEach
    void closeServers() throws Exception {
        for (Server s : servers) {
            s.close();
        }
    }

    // ---------------------------------------------------------------- servers

    interface Handler {
        void handle(Socket s) throws Exception;
    }

    /** Accepts one connection on 127.0.0.1 and runs the handler on it in its own thread. */
    static final class Server implements AutoCloseable {
        final ServerSocket listener;
        final Thread thread;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Server(ServerSocket listener, Handler handler) {
            this.listener = listener;
            this.thread = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    accepted.add(s);
                    handler.handle(s);
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            }, "tls-dialog-test-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : accepted) {
                s.close();
            }
            thread.join(2000);
        }
    }

    static InetAddress loopback() throws IOException {
        return InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
    }

    private Server plain(Handler handler) throws IOException {
        Server s = new Server(new ServerSocket(0, 50, loopback()), handler);
        servers.add(s);
        return s;
    }

    private Server implicitTls(Handler afterHandshake) throws IOException {
        SSLServerSocket listener = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 50, loopback());
        Server s = new Server(listener, socket -> {
            SSLSocket tls = (SSLSocket) socket;
            tls.startHandshake();
            afterHandshake.handle(tls);
        });
        servers.add(s);
        return s;
    }

    /** Turns an accepted plain socket into the server side of TLS, as an SMTP server does after STARTTLS. */
    static SSLSocket upgrade(Socket socket) throws IOException {
        SSLSocket tls = (SSLSocket) serverTls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }

    /** Reads until the peer closes (or resets); what a server does while it waits for nothing. */
    static void drain(InputStream in) {
        byte[] b = new byte[4096];
        try {
            while (in.read(b) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** One TLS record (the ClientHello): 5-byte header and its body. */
    static byte[] readRecord(InputStream in) throws IOException {
        byte[] head = in.readNBytes(5);
        if (head.length < 5) {
            throw new IOException("short record header");
        }
        int length = ((head[3] & 0xFF) << 8) | (head[4] & 0xFF);
        byte[] body = in.readNBytes(length);
        byte[] all = Arrays.copyOf(head, 5 + body.length);
        System.arraycopy(body, 0, all, 5, body.length);
        return all;
    }

    /** One CRLF line, read byte by byte so nothing after it is consumed. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII).replaceFirst("\r$", "");
    }

    static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static TlsDialog.Request request(int port, TlsDialog.Mode mode, ProxyHeader.Version proxy, int answerMillis) {
        return new TlsDialog.Request("127.0.0.1", port, mode, proxy, Duration.ofSeconds(2), Duration.ofMillis(answerMillis),
                Instant.now().plusSeconds(6));
    }

    private static TlsDialog.Result implicit(int port) {
        return TlsDialog.run(request(port, TlsDialog.Mode.IMPLICIT, ProxyHeader.Version.NONE, 2000));
    }

    private static TlsDialog.Result starttls(int port, int answerMillis) {
        return TlsDialog.run(request(port, TlsDialog.Mode.STARTTLS, ProxyHeader.Version.NONE, answerMillis));
    }

    // ---------------------------------------------------------------- implicit TLS

    @Test
    void implicitTlsHandshakeCompletesAndCapturesTheChain() throws Exception {
        CompletableFuture<String> serverProtocol = new CompletableFuture<>();
        Server server = implicitTls(s -> {
            serverProtocol.complete(((SSLSocket) s).getSession().getProtocol());
            drain(s.getInputStream());
        });
        TlsDialog.Result r = implicit(server.port());
        assertEquals(TlsDialog.Failure.NONE, r.failure(), r.detail());
        assertTrue(r.handshakeDone());
        assertEquals("", r.detail());
        assertEquals("127.0.0.1", r.address());
        assertEquals(serverProtocol.get(5, TimeUnit.SECONDS), r.protocol());
        assertTrue(r.protocol().startsWith("TLSv1."), r.protocol());
        assertNotNull(r.cipher());
        assertTrue(r.cipher().startsWith("TLS_"), r.cipher());
        assertNotNull(r.chain());
        assertEquals(2, r.chain().length);
        assertEquals(leaf.certificate(), r.chain()[0]);
        assertEquals("CN=Triage Test CA", r.chain()[1].getSubjectX500Principal().getName());
        assertNull(r.banner());
        assertNull(r.starttlsOffered());
        assertNull(r.serverText());
    }

    @Test
    void serverThatReadsTheHelloAndClosesIsPeerClosed() throws Exception {
        CompletableFuture<byte[]> hello = new CompletableFuture<>();
        Server server = plain(s -> hello.complete(readRecord(s.getInputStream()))); // then the socket closes
        TlsDialog.Result r = implicit(server.port());
        assertEquals(TlsDialog.Failure.PEER_CLOSED, r.failure(), r.detail());
        assertTrue(r.detail().contains("closed") || r.detail().contains("reset"), r.detail());
        assertEquals(0x16, hello.get(5, TimeUnit.SECONDS)[0], "the client did send a TLS handshake record");
        assertNull(r.chain());
    }

    @Test
    void plainTextAnswerWhereTlsWasExpectedIsPlaintext() throws Exception {
        Server server = plain(s -> {
            readRecord(s.getInputStream());
            write(s.getOutputStream(), PLAIN_421);
            drain(s.getInputStream());
        });
        TlsDialog.Result r = implicit(server.port());
        assertEquals(TlsDialog.Failure.PLAINTEXT, r.failure(), r.detail());
        assertEquals("421 4.3.0 mail.example.test Server local error", r.serverText());
        assertTrue(r.detail().contains("wrong version number"), r.detail());
        assertTrue(r.detail().contains("\"421 4.3.0 mail.example.test Server local error\""), r.detail());
    }

    @Test
    void plainTextBannerBeforeTheHelloIsPlaintextToo() throws Exception {
        // an SMTP server on the port where implicit TLS was expected: it greets at once
        Server server = plain(s -> {
            write(s.getOutputStream(), "220 mail.example.test ESMTP\r\n");
            drain(s.getInputStream());
        });
        TlsDialog.Result r = implicit(server.port());
        assertEquals(TlsDialog.Failure.PLAINTEXT, r.failure(), r.detail());
        assertEquals("220 mail.example.test ESMTP", r.serverText());
    }

    @Test
    void fatalAlertFromTheServerIsHandshakeFailed() throws Exception {
        Server server = plain(s -> {
            readRecord(s.getInputStream());
            // alert record, TLS 1.2, length 2: fatal (2), handshake_failure (40)
            s.getOutputStream().write(new byte[]{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
            s.getOutputStream().flush();
            drain(s.getInputStream());
        });
        TlsDialog.Result r = implicit(server.port());
        assertEquals(TlsDialog.Failure.HANDSHAKE_FAILED, r.failure(), r.detail());
        assertTrue(r.detail().contains("handshake_failure"), r.detail());
        assertTrue(r.detail().startsWith("the server refused the handshake"), r.detail());
    }

    @Test
    void tlsAnswerSplitAfterItsFirstByteIsStillTls() throws Exception {
        // a relay in front of the TLS server that passes the server's first byte in a segment of its own
        Server tls = implicitTls(s -> drain(s.getInputStream()));
        Server relay = plain(client -> {
            client.setTcpNoDelay(true);
            try (Socket upstream = new Socket(loopback(), tls.port())) {
                Thread up = new Thread(() -> {
                    try {
                        client.getInputStream().transferTo(upstream.getOutputStream());
                    } catch (IOException e) {
                        // either side closed
                    }
                });
                up.setDaemon(true);
                up.start();
                InputStream fromServer = upstream.getInputStream();
                OutputStream toClient = client.getOutputStream();
                int first = fromServer.read();
                toClient.write(first);
                toClient.flush();
                Thread.sleep(100);
                fromServer.transferTo(toClient);
            } catch (IOException e) {
                // the client went away
            }
        });
        TlsDialog.Result r = implicit(relay.port());
        assertEquals(TlsDialog.Failure.NONE, r.failure(), r.detail());
    }

    @Test
    void serverThatNeverAnswersIsSilentWithinTheAnswerLimit() throws Exception {
        Server server = plain(s -> drain(s.getInputStream()));
        long start = System.nanoTime();
        TlsDialog.Result r = TlsDialog.run(request(server.port(), TlsDialog.Mode.IMPLICIT, ProxyHeader.Version.NONE, 300));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(TlsDialog.Failure.SILENT, r.failure(), r.detail());
        assertTrue(r.detail().contains("300 ms"), r.detail());
        assertTrue(millis >= 250, "waited the answer limit, not less: " + millis + " ms");
        assertTrue(millis < 2000, "returned within ~2 s: " + millis + " ms");
    }

    @Test
    void closedPortIsRefused() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, loopback())) {
            port = probe.getLocalPort();
        }
        TlsDialog.Result r = implicit(port);
        assertEquals(TlsDialog.Failure.REFUSED, r.failure(), r.detail());
        assertTrue(r.detail().contains(String.valueOf(port)), r.detail());
        assertEquals("127.0.0.1", r.address());
    }

    // ---------------------------------------------------------------- PROXY protocol

    /**
     * A server behind a load balancer: it needs a PROXY header (v1 line or v2 block) before TLS, and
     * drops the connection when the first bytes are something else.
     */
    private Server proxyExpecting(CompletableFuture<byte[]> header, CompletableFuture<Socket> connection) throws IOException {
        return plain(s -> {
            connection.complete(s);
            InputStream in = s.getInputStream();
            byte[] first = in.readNBytes(6);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            got.write(first);
            if (Arrays.equals(first, "PROXY ".getBytes(StandardCharsets.US_ASCII))) {
                int b;
                while (got.size() < 107 && (b = in.read()) >= 0) {
                    got.write(b);
                    if (b == '\n') {
                        break;
                    }
                }
            } else if (Arrays.equals(first, Arrays.copyOf(ProxyHeader.V2_SIGNATURE, 6))) {
                got.write(in.readNBytes(10));
                byte[] h = got.toByteArray();
                int length = ((h[14] & 0xFF) << 8) | (h[15] & 0xFF);
                got.write(in.readNBytes(length));
            } else {
                header.complete(got.toByteArray());
                return; // no header: drop the connection, as haproxy-fronted servers do
            }
            header.complete(got.toByteArray());
            SSLSocket tls = upgrade(s);
            drain(tls.getInputStream());
        });
    }

    @Test
    void proxyV1HeaderIsSentBeforeTlsWithTheRealAddresses() throws Exception {
        CompletableFuture<byte[]> header = new CompletableFuture<>();
        CompletableFuture<Socket> connection = new CompletableFuture<>();
        Server server = proxyExpecting(header, connection);
        TlsDialog.Result r = TlsDialog.run(request(server.port(), TlsDialog.Mode.IMPLICIT, ProxyHeader.Version.V1, 2000));
        assertEquals(TlsDialog.Failure.NONE, r.failure(), r.detail());
        Socket accepted = connection.get(5, TimeUnit.SECONDS);
        // source: the client's end of this connection; destination: the server's end
        String expected = "PROXY TCP4 127.0.0.1 127.0.0.1 " + accepted.getPort() + " " + server.port() + "\r\n";
        assertEquals(expected, new String(header.get(5, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
        assertEquals(leaf.certificate(), r.chain()[0]);
    }

    @Test
    void proxyV2HeaderIsSentBeforeTlsWithTheRealAddresses() throws Exception {
        CompletableFuture<byte[]> header = new CompletableFuture<>();
        CompletableFuture<Socket> connection = new CompletableFuture<>();
        Server server = proxyExpecting(header, connection);
        TlsDialog.Result r = TlsDialog.run(request(server.port(), TlsDialog.Mode.IMPLICIT, ProxyHeader.Version.V2, 2000));
        assertEquals(TlsDialog.Failure.NONE, r.failure(), r.detail());
        int clientPort = connection.get(5, TimeUnit.SECONDS).getPort();
        int serverPort = server.port();
        byte[] expected = {
                0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                0x21, 0x11, 0x00, 0x0C,
                127, 0, 0, 1,
                127, 0, 0, 1,
                (byte) (clientPort >> 8), (byte) clientPort,
                (byte) (serverPort >> 8), (byte) serverPort};
        assertArrayEquals(expected, header.get(5, TimeUnit.SECONDS));
    }

    @Test
    void proxyExpectingServerWithoutHeaderDropsTheConnection() throws Exception {
        CompletableFuture<byte[]> header = new CompletableFuture<>();
        Server server = proxyExpecting(header, new CompletableFuture<>());
        TlsDialog.Result r = implicit(server.port());
        assertEquals(TlsDialog.Failure.PEER_CLOSED, r.failure(), r.detail());
        byte[] first = header.get(5, TimeUnit.SECONDS);
        assertEquals(0x16, first[0], "the server saw a TLS record where the header belonged");
        assertEquals(0x03, first[1]);
        assertNull(r.chain());
    }

    // ---------------------------------------------------------------- SMTP STARTTLS

    /** A fake SMTP server: banner, EHLO reply, then STARTTLS and the TLS upgrade of the same socket. */
    private Server smtp(String banner, String ehloReply, List<String> commands) throws IOException {
        return plain(s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            write(out, banner);
            String ehlo = readLine(in);
            commands.add(ehlo);
            write(out, ehloReply);
            String next = readLine(in);
            commands.add(next);
            if (next.equals("STARTTLS")) {
                write(out, "220 2.0.0 Ready to start TLS\r\n");
                SSLSocket tls = upgrade(s);
                drain(tls.getInputStream());
            } else {
                drain(in); // the client leaves after QUIT without waiting for 221
            }
        });
    }

    @Test
    void starttlsUpgradesAndCompletes() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        Server server = smtp("220 mail.example.test ESMTP Postfix\r\n",
                "250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n"
                        + "250 8BITMIME\r\n", commands);
        TlsDialog.Result r = starttls(server.port(), 2000);
        assertEquals(TlsDialog.Failure.NONE, r.failure(), r.detail());
        assertEquals("220 mail.example.test ESMTP Postfix", r.banner().strip());
        assertEquals(Boolean.TRUE, r.starttlsOffered());
        assertTrue(r.serverText().contains("250-STARTTLS"), r.serverText());
        assertTrue(r.serverText().endsWith("220 2.0.0 Ready to start TLS"), r.serverText());
        assertEquals(leaf.certificate(), r.chain()[0]);
        assertNotNull(r.protocol());
        assertEquals(List.of("EHLO triage.invalid", "STARTTLS"), commands);
    }

    @Test
    void starttlsAsTheLastEhloLineCountsToo() throws Exception {
        Server server = smtp("220 mail.example.test ESMTP\r\n", "250-mail.example.test\r\n250 STARTTLS\r\n",
                new CopyOnWriteArrayList<>());
        TlsDialog.Result r = starttls(server.port(), 2000);
        assertEquals(TlsDialog.Failure.NONE, r.failure(), r.detail());
        assertEquals(Boolean.TRUE, r.starttlsOffered());
    }

    @Test
    void ehloWithoutStarttlsIsNoStarttls() throws Exception {
        List<String> commands = new CopyOnWriteArrayList<>();
        Server server = smtp("220 mail.example.test ESMTP\r\n",
                "250-mail.example.test\r\n250-PIPELINING\r\n250-X-STARTTLS-LATER\r\n250 8BITMIME\r\n", commands);
        TlsDialog.Result r = starttls(server.port(), 2000);
        assertEquals(TlsDialog.Failure.NO_STARTTLS, r.failure(), r.detail());
        assertEquals(Boolean.FALSE, r.starttlsOffered());
        assertEquals("220 mail.example.test ESMTP", r.banner().strip());
        assertTrue(r.serverText().contains("250 8BITMIME"), r.serverText());
        server.done.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("EHLO triage.invalid", "QUIT"), commands, "the client says goodbye");
    }

    @Test
    void starttlsRefusedByTheServerIsNoStarttls() throws Exception {
        Server server = plain(s -> {
            write(s.getOutputStream(), "220 mail.example.test ESMTP\r\n");
            readLine(s.getInputStream());
            write(s.getOutputStream(), "250-mail.example.test\r\n250 STARTTLS\r\n");
            readLine(s.getInputStream());
            write(s.getOutputStream(), "454 4.7.0 TLS not available due to local problem\r\n");
            drain(s.getInputStream());
        });
        TlsDialog.Result r = starttls(server.port(), 2000);
        assertEquals(TlsDialog.Failure.NO_STARTTLS, r.failure(), r.detail());
        assertEquals(Boolean.TRUE, r.starttlsOffered());
        assertTrue(r.detail().contains("454 4.7.0"), r.detail());
    }

    @Test
    void rejectingBannerIsSmtpRejected() throws Exception {
        Server server = plain(s -> {
            write(s.getOutputStream(), "421 4.3.2 Service currently unavailable\r\n");
            drain(s.getInputStream());
        });
        TlsDialog.Result r = starttls(server.port(), 2000);
        assertEquals(TlsDialog.Failure.SMTP_REJECTED, r.failure(), r.detail());
        assertEquals("421 4.3.2 Service currently unavailable", r.banner().strip());
        assertEquals("421 4.3.2 Service currently unavailable", r.serverText());
        assertTrue(r.detail().contains("\"421 4.3.2 Service currently unavailable\""), r.detail());
        assertNull(r.starttlsOffered());
    }

    @Test
    void noBannerAtAllIsSilent() throws Exception {
        Server server = plain(s -> drain(s.getInputStream()));
        long start = System.nanoTime();
        TlsDialog.Result r = starttls(server.port(), 300);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(TlsDialog.Failure.SILENT, r.failure(), r.detail());
        assertTrue(r.detail().startsWith("no greeting within"), r.detail());
        assertNull(r.banner());
        assertTrue(millis < 2000, "returned within ~2 s: " + millis + " ms");
    }

    @Test
    void closeWithoutBannerIsPeerClosed() throws Exception {
        Server server = plain(s -> { }); // accept and close at once
        TlsDialog.Result r = starttls(server.port(), 2000);
        assertEquals(TlsDialog.Failure.PEER_CLOSED, r.failure(), r.detail());
    }
}
