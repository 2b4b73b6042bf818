package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.tls.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 003 end to end: a container that behaves like docker-mailserver v13+ (its 465 service
 * is "submissions"; postfix-master.cf is applied with postconf -P at start, so an old "smtps/..."
 * line is dropped with a warning) behind HAProxy with send-proxy. triage names the rename, renames
 * the line, restarts the container as a second confirmed step, re-probes through the front, and
 * undo restores the file byte for byte. Image: .ci/build-mail-test-image.sh (Debian's Postfix).
 */
class DmsSmtpsRenameIT extends DockerTest {
    private static final String MAIL_IMAGE = "triage-it/dms-like:13";

    @TempDir
    Path work;

    @Test
    void renamedOverrideIsFoundFixedRestartedAndUndone() throws Exception {
        MailServers.assume(Files.isExecutable(Path.of("/usr/sbin/haproxy"))
                && Sh.run("docker", "image", "inspect", MAIL_IMAGE).exit() == 0, "haproxy and the image " + MAIL_IMAGE
                + " (.ci/build-mail-test-image.sh)");
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        TestPki pki = TestPki.create(work.resolve("pki"));
        var leaf = pki.leaf("mail", "mail.triage.test", "dns:mail.triage.test,dns:localhost", "-1d", 30);
        Path certs = Files.createDirectories(work.resolve("certs"));
        Files.copy(leaf.keyPem(), certs.resolve("key.pem"));
        Files.copy(leaf.chainPem(), certs.resolve("chain.pem"));
        Path config = Files.createDirectories(work.resolve("config"));
        Path masterCf = config.resolve("postfix-master.cf");
        byte[] original = ("# proxy in front (written for v12)\nsmtp/inet/postscreen_upstream_proxy_protocol=haproxy\n"
                + "smtps/inet/smtpd_upstream_proxy_protocol=haproxy\n").getBytes(StandardCharsets.UTF_8);
        Files.write(masterCf, original);

        int published = MailServers.freePort();
        String container = unique("mail");
        Sh.run("docker", "run", "-d", "--name", container, "-p", "127.0.0.1:" + published + ":465",
                "-v", certs + ":/certs:ro", "-v", config + ":/tmp/docker-mailserver:ro", MAIL_IMAGE).orFail("docker run");
        onCleanup(() -> Sh.run("docker", "rm", "-f", container));
        try (MailServers fronts = new MailServers(work.resolve("haproxy"))) {
            fronts.frontTo("front", "127.0.0.1:" + published, "send-proxy");
            fronts.startFronts();
            waitForPostfix(container);

            List<String> sets = List.of("--set", "server=127.0.0.1:" + published, "--set", "front=" + fronts.address("front"),
                    "--set", "hostname=mail.triage.test", "--set", "ca=" + pki.caPem(), "--set", "master-cf=" + masterCf,
                    "--set", "container=" + container);
            JsonNode before = json(triage(args("diagnose", sets, "--json")));
            assertEquals("dms-smtps-renamed", before.path("verdict").path("id").asText(), before.toPrettyString());
            assertEquals("peer-closed", step(before, "front").path("outcome").asText());

            Sh.Result dry = triage(args("fix", sets, "--dry-run"));
            assertTrue(dry.out().contains("Then, as its own step:") && dry.out().contains("Restart container " + container),
                    "the dry run shows both plans: " + dry.out());
            assertArrayEquals(original, Files.readAllBytes(masterCf), "a dry run changes nothing");

            Sh.Result fix = triage(args("fix", sets, "--yes"));
            assertTrue(fix.out().contains("Then, as its own step:") && fix.out().contains("Restart container " + container),
                    "the restart is a second plan: " + fix.out());
            assertEquals(0, fix.exit(), "renamed, restarted, and the handshake through the front works: " + fix.out() + fix.err());
            assertEquals(new String(original, StandardCharsets.UTF_8).replace("smtps/", "submissions/"), Files.readString(masterCf));
            assertTrue(Sh.run("docker", "logs", container).err().lines()
                    .noneMatch(l -> l.contains("unmatched service_name/type") && l.contains("submissions/")));

            JsonNode after = json(triage(args("diagnose", sets, "--json")));
            assertEquals("healthy", after.path("verdict").path("id").asText(), after.toPrettyString());

            Sh.Result undo = triage("undo", "--yes");
            assertEquals(0, undo.exit(), "undo skips the restart (nothing to take back) and reverts the file: " + undo.out() + undo.err());
            assertArrayEquals(original, Files.readAllBytes(masterCf), "byte for byte");
            Sh.Result nothing = triage("undo", "--yes");
            assertEquals(1, nothing.exit(), nothing.out() + nothing.err());
        }
    }

    private static String[] args(String command, List<String> sets, String flag) {
        List<String> a = new ArrayList<>(List.of(command, "smtps-proxy-protocol"));
        a.addAll(sets);
        a.add(flag);
        return a.toArray(String[]::new);
    }

    /** docker-proxy accepts connections before Postfix listens: wait for Postfix's own word. */
    private static void waitForPostfix(String container) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            Sh.Result logs = Sh.run("docker", "logs", container);
            if ((logs.out() + logs.err()).contains("daemon started")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Postfix did not start in " + container + ": " + Sh.run("docker", "logs", container).err());
    }
}
