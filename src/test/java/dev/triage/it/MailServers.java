package dev.triage.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A private Postfix instance and an HAProxy from Debian's packages, on loopback ports of their
 * own, started and stopped by the test (never the system's instances, never port 25/465/587).
 * Postfix gets its own config, queue and data directories and logs to a file there.
 */
final class MailServers implements AutoCloseable {
    private final Path dir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<String> postfixServices = new ArrayList<>();
    private final List<String> haproxyListeners = new ArrayList<>();
    private Process haproxy;
    private boolean postfixStarted;

    MailServers(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // postfix's own user reads its config
    }

    /** Both programs present and we are root (Postfix's master must start as root). */
    static void assumeAvailable() {
        boolean present = Files.isExecutable(Path.of("/usr/sbin/postfix")) && Files.isExecutable(Path.of("/usr/sbin/haproxy"))
                && "root".equals(System.getProperty("user.name"));
        assume(present, "postfix and haproxy (Debian packages), run as root");
    }

    /** Skips without {@code what}; fails instead where .ci/run provides everything (TRIAGE_REQUIRE_DOCKER=1). */
    static void assume(boolean present, String what) {
        if (!present && "1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER"))) {
            throw new AssertionError(what + " required here: .ci/run provides it");
        }
        assumeTrue(present, what + " missing: skipping the real-server tests");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    int port(String name) {
        return ports.get(name);
    }

    String address(String name) {
        return "127.0.0.1:" + port(name);
    }

    /** An smtpd service on its own port; {@code options} are master.cf -o settings. */
    MailServers smtpd(String name, String... options) throws IOException {
        int port = freePort();
        ports.put(name, port);
        StringBuilder line = new StringBuilder("127.0.0.1:" + port + " inet n - n - - smtpd");
        for (String o : options) {
            line.append(" -o ").append(o);
        }
        postfixServices.add(line.toString());
        return this;
    }

    /** An HAProxy TCP listener in front of a Postfix service; {@code sendProxy} is "", send-proxy or send-proxy-v2. */
    MailServers front(String name, String backend, String sendProxy) throws IOException {
        return frontTo(name, address(backend), sendProxy);
    }

    /** An HAProxy TCP listener in front of any HOST:PORT (a published container port). */
    MailServers frontTo(String name, String backendAddress, String sendProxy) throws IOException {
        int port = freePort();
        ports.put(name, port);
        haproxyListeners.add("listen " + name + "\n    bind 127.0.0.1:" + port + "\n    server s " + backendAddress
                + (sendProxy.isEmpty() ? "" : " " + sendProxy) + "\n");
        return this;
    }

    /** HAProxy only, for fronts to servers the test runs elsewhere (a container). */
    void startFronts() throws IOException, InterruptedException {
        startHaproxy();
    }

    void start(Path defaultKey, Path defaultChain) throws IOException, InterruptedException {
        Path conf = dir.resolve("conf");
        Path data = dir.resolve("data");
        Files.createDirectories(conf);
        Files.createDirectories(dir.resolve("queue"));
        Files.createDirectories(data);
        Sh.run("chown", "postfix", data.toString()).orFail("chown postfix data");
        Files.writeString(conf.resolve("main.cf"), String.join("\n",
                "compatibility_level = 3.6",
                "queue_directory = " + dir.resolve("queue"),
                "data_directory = " + data,
                "mail_owner = postfix",
                "myhostname = mail.triage.test",
                "inet_interfaces = loopback-only",
                "inet_protocols = ipv4",
                "mydestination =",
                "smtpd_tls_chain_files = " + defaultKey + ", " + defaultChain,
                "smtpd_tls_security_level = may",
                "smtpd_upstream_proxy_timeout = 5s",
                "maillog_file = " + dir.resolve("maillog"),
                "maillog_file_prefixes = " + dir,
                "syslog_name = triage-test",
                "") );
        List<String> master = new ArrayList<>(postfixServices);
        master.addAll(List.of(
                "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
                "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
                "smtp unix - - n - - smtp", "relay unix - - n - - smtp", "showq unix n - n - - showq",
                "error unix - - n - - error", "retry unix - - n - - error", "discard unix - - n - - discard",
                "local unix - n n - - local", "lmtp unix - - n - - lmtp", "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd"));
        Files.writeString(conf.resolve("master.cf"), String.join("\n", master) + "\n");
        Sh.run(List.of("postfix", "-c", conf.toString(), "start"), Map.of(), 60).orFail("postfix start (log: " + dir.resolve("maillog") + ")");
        postfixStarted = true;
        startHaproxy();
    }

    private void startHaproxy() throws IOException, InterruptedException {
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, "global\n    log stderr format raw local0\ndefaults\n    mode tcp\n    timeout connect 2s\n"
                + "    timeout client 20s\n    timeout server 20s\n" + String.join("", haproxyListeners));
        if (!haproxyListeners.isEmpty()) {
            haproxy = new ProcessBuilder("haproxy", "-f", cfg.toString(), "-db")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        }
        for (String name : ports.keySet()) {
            waitListening(name);
        }
    }

    private void waitListening(String name) throws InterruptedException, IOException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket("127.0.0.1", port(name))) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(name + " does not listen on " + port(name) + "; postfix log: "
                + (Files.exists(dir.resolve("maillog")) ? Files.readString(dir.resolve("maillog")) : "(none)"));
    }

    String postfixLog() throws IOException {
        return Files.exists(dir.resolve("maillog")) ? Files.readString(dir.resolve("maillog")) : "";
    }

    @Override
    public void close() {
        if (haproxy != null) {
            haproxy.destroy();
            try {
                haproxy.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (postfixStarted) {
            String conf = dir.resolve("conf").toString();
            Sh.run(List.of("postfix", "-c", conf, "stop"), Map.of(), 60);
            long end = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < end && Sh.run(List.of("postfix", "-c", conf, "status"), Map.of(), 20).exit() == 0) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }
}
