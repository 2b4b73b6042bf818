package dev.triage.tls;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One client conversation with a mail port, as a mail client has it: connect, optionally send a
 * PROXY header first (as a load balancer would), optionally the SMTP STARTTLS exchange, then a TLS
 * handshake driven by hand through an {@link SSLEngine} so that every failure can be named from the
 * bytes on the wire: a plain-text answer where TLS was expected is shown as the text the server
 * sent, a close during the handshake as "unexpected eof". Every read has a deadline; the
 * certificate is only captured here, {@link CertificateJudge} judges it.
 */
public final class TlsDialog {

    public enum Mode { IMPLICIT, STARTTLS }

    /** Where the conversation stopped; NONE when the handshake completed. */
    public enum Failure {
        NONE, DNS, REFUSED, CONNECT_TIMEOUT, UNREACHABLE, SILENT, SMTP_REJECTED, NO_STARTTLS, PEER_CLOSED, PLAINTEXT,
        HANDSHAKE_FAILED
    }

    /** @param sni the name to ask for in the TLS hello (the name clients use); null = the host when it is a name */
    public record Request(String host, int port, Mode mode, ProxyHeader.Version proxy, Duration connectLimit,
                          Duration answerLimit, Instant deadline, String sni) {
        public Request(String host, int port, Mode mode, ProxyHeader.Version proxy, Duration connectLimit,
                       Duration answerLimit, Instant deadline) {
            this(host, port, mode, proxy, connectLimit, answerLimit, deadline, null);
        }
    }

    /**
     * @param detail     the failure in plain words (empty on success)
     * @param serverText what the server said in plain text: the SMTP replies, or the text it sent where TLS was expected
     */
    public record Result(Failure failure, String detail, String address, long connectMillis, long millis, String banner,
                         Boolean starttlsOffered, String serverText, String protocol, String cipher,
                         X509Certificate[] chain) {
        public boolean handshakeDone() {
            return failure == Failure.NONE;
        }

        /** A conversation that ended before any protocol was spoken. */
        public static Result failed(Failure failure, String detail, String address, long start) {
            return TlsDialog.failed(failure, detail, address, 0, start, null, null, null);
        }
    }

    private static final int MAX_TEXT = 512;
    private static final String EHLO_NAME = "triage.invalid";

    private TlsDialog() { }

    /** IPv4 first: it is what a container on a default bridge uses, and what the host checks are about. */
    public static InetAddress resolve(String host) throws UnknownHostException {
        InetAddress[] all = InetAddress.getAllByName(host);
        return Arrays.stream(all).filter(a -> a instanceof Inet4Address).findFirst().orElse(all[0]);
    }

    /** How a failed connect is named: refused (RST or ICMP reject), no answer, no route. */
    public static Failure connectFailure(IOException e) {
        return e instanceof ConnectException ? Failure.REFUSED : e instanceof SocketTimeoutException ? Failure.CONNECT_TIMEOUT
                : Failure.UNREACHABLE;
    }

    public static String connectDetail(IOException e, int port, int millis) {
        return switch (connectFailure(e)) {
            case REFUSED -> "connection refused (nothing listens on port " + port + ", or a firewall rejects it)";
            case CONNECT_TIMEOUT -> "no answer to the connection within " + millis + " ms";
            default -> e instanceof NoRouteToHostException ? "no route to the host" : String.valueOf(e.getMessage());
        };
    }

    public static Result run(Request request) {
        long start = System.nanoTime();
        InetAddress address;
        try {
            address = resolve(request.host());
        } catch (UnknownHostException e) {
            return failed(Failure.DNS, "'" + request.host() + "' does not resolve", null, 0, start, null, null, null);
        }
        String shown = address.getHostAddress();
        try (Socket socket = new Socket()) {
            int connectMillis = (int) Math.max(1, Math.min(request.connectLimit().toMillis(), left(request)));
            try {
                socket.connect(new InetSocketAddress(address, request.port()), connectMillis);
            } catch (IOException e) {
                return failed(connectFailure(e), connectDetail(e, request.port(), connectMillis), shown, 0, start, null, null, null);
            }
            long connected = elapsed(start);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] header = ProxyHeader.build(request.proxy(),
                    (InetSocketAddress) socket.getLocalSocketAddress(), (InetSocketAddress) socket.getRemoteSocketAddress());
            if (header.length > 0) {
                out.write(header);
                out.flush();
            }
            String banner = null;
            Boolean offered = null;
            StringBuilder smtp = new StringBuilder();
            if (request.mode() == Mode.STARTTLS) {
                Reply greeting = readReply(socket, in, request);
                if (greeting.silent()) {
                    return failed(Failure.SILENT, "no greeting within " + greeting.waited() + " ms (a server that waits for a"
                            + " PROXY header stays silent)", shown, connected, start, null, null, greeting.text());
                }
                if (greeting.closed() && greeting.text().isEmpty()) {
                    return failed(Failure.PEER_CLOSED, "the server closed the connection without a greeting", shown,
                            connected, start, null, null, "");
                }
                banner = greeting.text();
                smtp.append(greeting.text());
                if (!greeting.code().equals("220")) {
                    return failed(Failure.SMTP_REJECTED, "the server greets with " + firstLine(greeting.text()), shown,
                            connected, start, banner, null, smtp.toString());
                }
                send(out, "EHLO " + EHLO_NAME);
                Reply ehlo = readReply(socket, in, request);
                smtp.append(ehlo.text());
                if (!ehlo.code().equals("250")) {
                    return failed(Failure.SMTP_REJECTED, "EHLO answered " + (ehlo.silent() ? "nothing" : firstLine(ehlo.text())),
                            shown, connected, start, banner, null, smtp.toString());
                }
                offered = ehlo.text().lines().anyMatch(l -> l.length() > 4
                        && l.substring(4).strip().toUpperCase(Locale.ROOT).equals("STARTTLS"));
                if (!offered) {
                    send(out, "QUIT");
                    return failed(Failure.NO_STARTTLS, "EHLO does not offer STARTTLS", shown, connected, start, banner,
                            false, smtp.toString());
                }
                send(out, "STARTTLS");
                Reply go = readReply(socket, in, request);
                smtp.append(go.text());
                if (!go.code().equals("220")) {
                    return failed(Failure.NO_STARTTLS, "STARTTLS answered " + (go.silent() ? "nothing" : firstLine(go.text())),
                            shown, connected, start, banner, true, smtp.toString());
                }
            }
            return handshake(socket, in, out, request, shown, connected, start, banner, offered, smtp.toString());
        } catch (SocketTimeoutException e) {
            return failed(Failure.SILENT, "the server stopped answering", shown, 0, start, null, null, null);
        } catch (IOException e) {
            // a reset while the hello is written or read: the server dropped the connection
            return failed(Failure.PEER_CLOSED, "the server dropped the connection during the handshake ("
                    + e.getMessage() + ")", shown, 0, start, null, null, null);
        }
    }

    private static Result handshake(Socket socket, InputStream in, OutputStream out, Request request, String address,
                                    long connected, long start, String banner, Boolean offered, String smtp) throws IOException {
        CapturingTrust capture = new CapturingTrust();
        SSLEngine engine;
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[]{capture}, null);
            engine = ctx.createSSLEngine(request.host(), request.port());
        } catch (GeneralSecurityException e) {
            return failed(Failure.HANDSHAKE_FAILED, "this JDK cannot start TLS: " + e.getMessage(), address, connected, start,
                    banner, offered, smtp);
        }
        engine.setUseClientMode(true);
        // SNI: a front routing by name (Traefik HostSNI) or a server with several certificates needs it
        String sni = request.sni() != null && isDnsName(request.sni()) ? request.sni() : request.host();
        if (isDnsName(sni)) {
            SSLParameters p = engine.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            engine.setSSLParameters(p);
        }
        SSLSession session = engine.getSession();
        ByteBuffer netOut = ByteBuffer.allocate(session.getPacketBufferSize());
        ByteBuffer netIn = ByteBuffer.allocate(session.getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocate(session.getApplicationBufferSize());
        byte[] chunk = new byte[session.getPacketBufferSize()];
        boolean firstRead = true;
        try {
            engine.beginHandshake();
            while (true) {
                if (left(request) <= 1) {
                    return failed(Failure.SILENT, "the handshake did not finish within the time limit", address, connected,
                            start, banner, offered, smtp);
                }
                SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
                switch (status) {
                    case NEED_WRAP -> {
                        netOut.clear();
                        engine.wrap(ByteBuffer.allocate(0), netOut);
                        netOut.flip();
                        out.write(netOut.array(), 0, netOut.limit());
                        out.flush();
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        netIn.flip();
                        SSLEngineResult r = engine.unwrap(netIn, app);
                        netIn.compact();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                            app = ByteBuffer.allocate(app.capacity() * 2);
                        } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                            return failed(Failure.PEER_CLOSED, "the server closed TLS during the handshake", address,
                                    connected, start, banner, offered, smtp);
                        } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                                || (r.bytesConsumed() == 0 && engine.getHandshakeStatus() == status)) {
                            socket.setSoTimeout(soTimeout(request));
                            int n;
                            try {
                                n = in.read(chunk);
                            } catch (SocketTimeoutException e) {
                                return failed(Failure.SILENT, "no answer to the TLS hello within " + soTimeout(request)
                                        + " ms", address, connected, start, banner, offered, smtp);
                            } catch (SocketException e) {
                                return failed(Failure.PEER_CLOSED, "the server reset the connection during the handshake ("
                                        + e.getMessage() + ")", address, connected, start, banner, offered, smtp);
                            }
                            if (n < 0) {
                                return failed(Failure.PEER_CLOSED, "the server closed the connection during the handshake"
                                        + " (openssl: \"unexpected eof while reading\"), before sending a certificate",
                                        address, connected, start, banner, offered, smtp);
                            }
                            if (firstRead && n == 1) {
                                // one byte is too little to tell TLS from text: wait for the next
                                int more = in.read(chunk, 1, chunk.length - 1);
                                n += Math.max(0, more);
                            }
                            if (firstRead && !looksLikeTls(chunk, n)) {
                                String text = readText(socket, in, chunk, n);
                                return failed(Failure.PLAINTEXT, "the server answered in plain text where TLS was expected"
                                        + " (openssl: \"wrong version number\"): " + firstLine(text), address, connected,
                                        start, banner, offered, smtp + text);
                            }
                            firstRead = false;
                            if (netIn.remaining() < n) {
                                ByteBuffer bigger = ByteBuffer.allocate(netIn.position() + n + session.getPacketBufferSize());
                                netIn.flip();
                                bigger.put(netIn);
                                netIn = bigger;
                            }
                            netIn.put(chunk, 0, n);
                        }
                    }
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    }
                    default -> {
                        SSLSession done = engine.getSession();
                        Certificate[] peer = capture.chain != null ? capture.chain : done.getPeerCertificates();
                        X509Certificate[] chain = Arrays.stream(peer).map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
                        return new Result(Failure.NONE, "", address, connected, elapsed(start), banner, offered,
                                smtp.isBlank() ? null : smtp.strip(), done.getProtocol(), done.getCipherSuite(), chain);
                    }
                }
            }
        } catch (SSLException e) {
            String m = String.valueOf(e.getMessage());
            return failed(Failure.HANDSHAKE_FAILED, m.startsWith("Received fatal alert")
                    ? "the server refused the handshake (" + m.substring("Received ".length()) + ")"
                    : "the handshake failed: " + m, address, connected, start, banner, offered, smtp);
        }
    }

    /** A TLS record starts with a content type 20-24 and major version 3. */
    static boolean looksLikeTls(byte[] b, int n) {
        return n >= 2 && b[0] >= 20 && b[0] <= 24 && b[1] == 3;
    }

    /** The plain text a server sent where TLS was expected (up to a line or 512 bytes, 300 ms more). */
    private static String readText(Socket socket, InputStream in, byte[] first, int n) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write(first, 0, Math.min(n, MAX_TEXT));
        socket.setSoTimeout(300); // only what follows at once; the caller's deadline is near anyway
        byte[] more = new byte[MAX_TEXT];
        try {
            while (text.size() < MAX_TEXT && !text.toString(StandardCharsets.ISO_8859_1).contains("\n")) {
                int m = in.read(more, 0, MAX_TEXT - text.size());
                if (m < 0) {
                    break;
                }
                text.write(more, 0, m);
            }
        } catch (IOException e) {
            // what arrived is enough to show
        }
        return printable(text.toByteArray());
    }

    /** One SMTP reply (all its lines); silent when nothing complete arrived in time. */
    private record Reply(String code, String text, boolean silent, boolean closed, long waited) { }

    private static Reply readReply(Socket socket, InputStream in, Request request) throws IOException {
        long start = System.nanoTime();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (all.size() + line.size() < 8192) {
            if (left(request) <= 1) {
                return new Reply("", printable(all.toByteArray()) + printable(line.toByteArray()), true, false, elapsed(start));
            }
            int timeout = soTimeout(request);
            socket.setSoTimeout(timeout);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return new Reply("", printable(all.toByteArray()) + printable(line.toByteArray()), true, false, elapsed(start));
            } catch (SocketException e) {
                return new Reply("", printable(all.toByteArray()), false, true, elapsed(start));
            }
            if (b < 0) {
                String text = printable(all.toByteArray()) + printable(line.toByteArray());
                return new Reply(text.length() >= 3 ? text.substring(0, 3) : "", text, false, true, elapsed(start));
            }
            line.write(b);
            if (b == '\n' || line.size() >= 1000) { // SMTP lines end within 1000 bytes
                byte[] l = line.toByteArray();
                all.write(l, 0, l.length);
                line.reset();
                // "250-..." continues, "250 ..." ends the reply
                if (l.length < 4 || l[3] != '-') {
                    String text = printable(all.toByteArray());
                    return new Reply(text.length() >= 3 ? text.substring(0, 3) : "", text, false, false, elapsed(start));
                }
            }
        }
        String text = printable(all.toByteArray()) + printable(line.toByteArray());
        return new Reply(text.length() >= 3 ? text.substring(0, 3) : "", text, false, false, elapsed(start)); // 8 KiB: enough
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Text for a report: CR dropped, other control bytes as '.', never more than 512 characters. */
    static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            int c = x & 0xFF;
            if (c == '\r') {
                continue;
            }
            sb.append(c == '\n' || (c >= 0x20 && c < 0x7F) ? (char) c : '.');
            if (sb.length() >= MAX_TEXT) {
                break;
            }
        }
        return sb.toString();
    }

    private static String firstLine(String text) {
        String s = text == null ? "" : text.strip();
        int nl = s.indexOf('\n');
        return "\"" + (nl < 0 ? s : s.substring(0, nl).strip()) + "\"";
    }

    private static boolean isDnsName(String host) {
        return host.contains(".") && !host.matches("[0-9.]+") && !host.contains(":") && !host.endsWith(".");
    }

    private static int soTimeout(Request request) {
        return (int) Math.max(50, Math.min(request.answerLimit().toMillis(), left(request)));
    }

    private static long left(Request request) {
        return Math.max(1, Duration.between(Instant.now(), request.deadline()).toMillis());
    }

    private static Result failed(Failure failure, String detail, String address, long connected, long start,
                                 String banner, Boolean offered, String serverText) {
        return new Result(failure, detail, address, connected, elapsed(start), banner, offered,
                serverText == null || serverText.isBlank() ? null : serverText.strip(), null, null, null);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Accepts and keeps any chain: the judgement is made afterwards, with reasons, not by JSSE. */
    private static final class CapturingTrust extends X509ExtendedTrustManager {
        volatile X509Certificate[] chain;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            this.chain = chain.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            this.chain = chain.clone();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            this.chain = chain.clone();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
