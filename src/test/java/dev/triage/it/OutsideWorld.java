package dev.triage.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pretend outside mail server for egress tests: a network namespace of the test's own, joined
 * to the host by a veth pair on 198.18.N.0/30 (benchmarking space, never routed to the internet),
 * with an implicit-TLS server on 465 when asked. The namespace has no route back to container
 * subnets, so a container's traffic only works when the host really forwards and NATs it. For the
 * test bed's Docker 28 the "host" end of the pair sits in that engine's network namespace.
 */
final class OutsideWorld implements AutoCloseable {
    final String namespace;
    final String hostSide;
    final String hostAddress;
    final String serverAddress;
    private final Engine engine;
    private Process server;

    OutsideWorld(int n, Engine engine) throws Exception {
        this.engine = engine;
        String tag = Long.toHexString(System.nanoTime() & 0xffffff);
        namespace = "triage-it-" + tag;
        hostSide = "tit" + tag.substring(0, Math.min(6, tag.length())) + "h";
        String nsSide = "tit" + tag.substring(0, Math.min(6, tag.length())) + "n";
        hostAddress = "198.18." + n + ".1";
        serverAddress = "198.18." + n + ".2";
        Sh.run("ip", "netns", "add", namespace).orFail("netns add");
        try {
            Sh.run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide).orFail("veth");
            Sh.run("ip", "link", "set", nsSide, "netns", namespace).orFail("veth into netns");
            if (!engine.isHost()) {
                Sh.run("ip", "link", "set", hostSide, "netns", engine.netns()).orFail("veth into the engine's netns");
            }
            Sh.run(engine.inNetns("ip", "addr", "add", hostAddress + "/30", "dev", hostSide)).orFail("host address");
            Sh.run(engine.inNetns("ip", "link", "set", hostSide, "up")).orFail("host link up");
            Sh.run("ip", "netns", "exec", namespace, "ip", "addr", "add", serverAddress + "/30", "dev", nsSide).orFail("ns address");
            Sh.run("ip", "netns", "exec", namespace, "ip", "link", "set", nsSide, "up").orFail("ns link up");
            Sh.run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up").orFail("ns lo up");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** An SMTPS-like server: TLS on 465 with a throw-away self-signed certificate. */
    OutsideWorld withTlsServer(Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Sh.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=smtp.test").orFail("certificate");
        server = Sh.start(List.of("ip", "netns", "exec", namespace, "openssl", "s_server", "-quiet", "-accept", "465",
                "-cert", cert.toString(), "-key", key.toString()), java.util.Map.of());
        for (int i = 0; i < 50; i++) {
            if (Sh.run("ip", "netns", "exec", namespace, "ss", "-Hltn", "sport = :465").out().contains("465")) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the TLS server in " + namespace + " did not start");
    }

    String target() {
        return serverAddress + ":465";
    }

    @Override
    public void close() {
        if (server != null) {
            server.destroyForcibly();
        }
        Sh.run("ip", "netns", "del", namespace); // takes the veth pair with it
        if (engine.isHost() ? Files.exists(Path.of("/sys/class/net", hostSide))
                : Sh.run(engine.inNetns("ip", "link", "show", hostSide)).exit() == 0) {
            Sh.run(engine.inNetns("ip", "link", "del", hostSide));
        }
    }
}
