package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Incident 002 (docker-mailserver v14 state) on the real engine: each cause as a created (or
 * exited) container of a re-tagged image with the case's env and mounts; the compose fixes applied
 * to a compose file of the test's own and undone byte for byte.
 */
class DmsStateIT extends MailStackTest {
    private static final String V14 = "mailserver/docker-mailserver:14.0.0";

    @TempDir
    Path work;

    private String dms(String image, String... options) {
        List<String> o = new ArrayList<>(List.of("--label", "com.docker.compose.project=dmsit",
                "--label", "com.docker.compose.service=mailserver"));
        o.addAll(List.of(options));
        return created(tagged(image), o.toArray(String[]::new));
    }

    private String dir(String name) throws Exception {
        return Files.createDirectories(work.resolve(name)).toString();
    }

    @Test
    void healthyV14() throws Exception {
        String c = dms(V14, "-v", dir("state") + ":/var/mail-state", "-v", dir("mail") + ":/var/mail/");
        JsonNode d = diagnose("dms-v14-state", "container=" + c);
        assertEquals("healthy", verdict(d), d.toPrettyString());
        assertEquals("mounted-local", step(d, "mail-state").path("outcome").asText());
    }

    @Test
    void oneDirOnV14IsFoundWithoutNamingTheContainer() throws Exception {
        dms(V14, "-e", "ONE_DIR=0", "-v", dir("state") + ":/var/mail-state");
        JsonNode d = diagnose("dms-v14-state");
        assertEquals("one-dir-removed", verdict(d), d.toPrettyString());
        assertEquals("0", step(d, "one-dir").path("evidence").path("value").asText());
    }

    @Test
    void oneDirOnV13IsNotTheV14Problem() throws Exception {
        String c = dms("mailserver/docker-mailserver:13.3.1", "-e", "ONE_DIR=1", "-v", dir("state") + ":/var/mail-state");
        assertEquals("healthy", verdict(diagnose("dms-v14-state", "container=" + c)));
    }

    @Test
    void latestTagWithoutVersionLabelSaysTheReleaseIsUnknown() throws Exception {
        String c = dms("docker.io/mailserver/docker-mailserver:latest", "-e", "ONE_DIR=0");
        JsonNode d = diagnose("dms-v14-state", "container=" + c);
        assertEquals("one-dir-removed", verdict(d));
        assertEquals("unknown", step(d, "version").path("outcome").asText());
        assertTrue(step(d, "find").path("evidence").path("versionSource").asText().startsWith("unknown: tag 'latest'"),
                step(d, "find").toString());
    }

    @Test
    void redisMountNextToMailStateOfATvialImageAndATmpfs() throws Exception {
        String c = dms("tvial/docker-mailserver:14.0.1", "-v", dir("state") + ":/var/mail-state",
                "-v", dir("redis") + ":/var/lib/redis", "--tmpfs", "/var/lib/clamav");
        JsonNode d = diagnose("dms-v14-state", "container=" + c);
        assertEquals("redis-mount-conflict", verdict(d), d.toPrettyString());
        String matches = step(d, "state-mounts").path("evidence").path("matches").toString();
        assertTrue(matches.contains("/var/lib/redis") && matches.contains("tmpfs"), matches);
        String alone = dms(V14, "-v", dir("redis2") + ":/var/lib/redis");
        assertEquals("healthy", verdict(diagnose("dms-v14-state", "container=" + alone)),
                "without /var/mail-state v14 consolidates nothing, so a redis mount is fine");
    }

    @Test
    void mailStateOnAnNfsVolume() {
        // a local volume whose driver options mount NFS: the container is only created, so 198.18.0.1 is never contacted
        String volume = unique("nfs");
        Sh.run("docker", "volume", "create", "--driver", "local", "--opt", "type=nfs", "--opt", "o=addr=198.18.0.1,rw",
                "--opt", "device=:/export/dms-state", volume).orFail("volume create");
        onCleanup(() -> Sh.run("docker", "volume", "rm", "-f", volume));
        String c = dms(V14, "-v", volume + ":/var/mail-state"); // removed before the volume: cleanups run in reverse
        JsonNode d = diagnose("dms-v14-state", "container=" + c);
        assertEquals("mail-state-on-nfs", verdict(d), d.toPrettyString());
        assertEquals("nfs", step(d, "mail-state").path("evidence").path("fsType").asText());
    }

    @Test
    void logOfAnExitedContainerWithNoKnownCause() throws Exception {
        String c = unique("mail");
        Sh.run("docker", "run", "--name", c, "--label", "com.docker.compose.service=mailserver", "--entrypoint", "sh",
                tagged(V14), "-c", "echo 'ERROR: Postfix integrity check failed!'; exit 1");
        onCleanup(() -> Sh.run("docker", "rm", "-f", c));
        JsonNode d = diagnose("dms-v14-state", "container=" + c);
        assertEquals("integrity-failure-unexplained", verdict(d), d.toPrettyString());
        assertEquals("exited", step(d, "find").path("evidence").path("state").asText());
    }

    @Test
    void noContainerSeveralContainersAndAMissingName() throws Exception {
        assertEquals("no-dms-container", verdict(diagnose("dms-v14-state")));
        assertEquals("container-missing", verdict(diagnose("dms-v14-state", "container=" + unique("nothing"))));
        created(tagged(V14));
        created(tagged("ghcr.io/docker-mailserver/docker-mailserver:14.0.0"));
        JsonNode d = diagnose("dms-v14-state");
        assertEquals("several-dms-containers", verdict(d));
        assertEquals(2, step(d, "find").path("evidence").path("candidates").size());
    }

    @Test
    void runningContainerWhoseTagMovedOnIsStillFound() throws Exception {
        // running (a sleep stands in for the mail server), then the tag moves to another image, as a pull does
        String running = unique("mail");
        Sh.run("docker", "run", "-d", "--name", running, "--label", "com.docker.compose.project=dmsit", "--entrypoint", "sleep",
                "-e", "ONE_DIR=0", tagged("mailserver/docker-mailserver:14.0.2"), "300").orFail("docker run");
        onCleanup(() -> Sh.run("docker", "rm", "-f", running));
        String other = Sh.run("docker", "images", "-q", "triage-it/dms-like:13").out().strip();
        org.junit.jupiter.api.Assumptions.assumeFalse(other.isEmpty(), "needs a second image (.ci/build-mail-test-image.sh)");
        Sh.run("docker", "tag", "triage-it/dms-like:13", "mailserver/docker-mailserver:14.0.2").orFail("move the tag");
        JsonNode d = diagnose("dms-v14-state");
        assertEquals("one-dir-removed", verdict(d), d.toPrettyString());
        JsonNode found = step(d, "find").path("evidence");
        assertEquals("running", found.path("state").asText());
        assertEquals("mailserver/docker-mailserver:14.0.2", found.path("image").asText());
    }

    @Test
    void engineUnreachable() {
        Sh.Result r = triage(java.util.Map.of("TRIAGE_STATE_DIR", work.toString(), "DOCKER_HOST", "unix://" + work.resolve("no.sock")),
                "diagnose", "dms-v14-state", "--json");
        assertEquals("docker-unreachable", json(r).path("verdict").path("id").asText(), r.out() + r.err());
    }

    @Test
    void hugeEnvironment() throws Exception {
        List<String> env = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            env.add("-e");
            env.add("FILLER_" + i + "=" + "x".repeat(40));
        }
        env.add("-e");
        env.add("ONE_DIR=1");
        String c = dms(V14, env.toArray(String[]::new));
        assertEquals("one-dir-removed", verdict(diagnose("dms-v14-state", "container=" + c)));
    }

    @Test
    void composeFixesApplyToTheNamedFileOnlyAndUndoByteForByte() throws Exception {
        Path compose = work.resolve("compose.yaml");
        byte[] original = ("""
                services:
                  mailserver:
                    image: docker.io/mailserver/docker-mailserver:14.0.0
                    env_file: mailserver.env
                    environment:
                      - ONE_DIR=0   # from the v13 days
                      - TZ=Europe/Berlin
                    volumes:
                      - ./docker-data/dms/mail-data/:/var/mail/
                      - ./docker-data/dms/mail-state/:/var/mail-state/
                      - ./docker-data/dms/redis:/var/lib/redis
                      - /etc/localtime:/etc/localtime:ro
                """).getBytes(StandardCharsets.UTF_8);
        Files.write(compose, original);
        Path envFile = work.resolve("mailserver.env");
        byte[] envOriginal = "OVERRIDE_HOSTNAME=mail.example.test\r\nONE_DIR=0\r\nPOSTMASTER_ADDRESS=pm@example.test\r\n"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(envFile, envOriginal);
        String c = dms(V14, "-e", "ONE_DIR=0", "-v", dir("state") + ":/var/mail-state", "-v", dir("redis") + ":/var/lib/redis",
                "--label", "com.docker.compose.project.config_files=" + compose);

        // compose-file not given: the exact change is shown against the file in the container's labels, never applied
        Sh.Result shown = triage("fix", "dms-v14-state", "--set", "container=" + c, "--yes");
        assertTrue(shown.out().contains("-      - ./docker-data/dms/redis:/var/lib/redis")
                && shown.out().contains("needs --set compose-file=" + compose + " to be applied"), shown.out());
        assertArrayEquals(original, Files.readAllBytes(compose));

        // the root cause first (the redis mount), then ONE_DIR from both places, each by name
        Sh.Result mounts = triage("fix", "dms-v14-state", "--set", "container=" + c, "--set", "compose-file=" + compose, "--yes");
        assertTrue(mounts.out().contains("VERDICT: redis-mount-conflict"), mounts.out());
        Sh.Result oneDir = triage("fix", "dms-v14-state", "--set", "container=" + c, "--set", "compose-file=" + compose,
                "--choose", "drop-one-dir-compose", "--yes");
        assertTrue(oneDir.out().contains("-      - ONE_DIR=0   # from the v13 days"), oneDir.out());
        assertEquals(new String(original, StandardCharsets.UTF_8).replace("      - ONE_DIR=0   # from the v13 days\n", "")
                .replace("      - ./docker-data/dms/redis:/var/lib/redis\n", ""), Files.readString(compose));
        Sh.Result envFix = triage("fix", "dms-v14-state", "--set", "container=" + c, "--set", "env-file=" + envFile,
                "--choose", "drop-one-dir-env-file", "--yes");
        assertEquals("OVERRIDE_HOSTNAME=mail.example.test\r\nPOSTMASTER_ADDRESS=pm@example.test\r\n", Files.readString(envFile),
                envFix.out());
        Sh.Result again = triage("fix", "dms-v14-state", "--set", "container=" + c, "--set", "compose-file=" + compose,
                "--choose", "drop-one-dir-compose", "--yes");
        assertTrue(again.out().contains("already done, or it is set elsewhere"), "a second run changes nothing: " + again.out());

        assertEquals(0, triage("undo", "--yes").exit());
        assertArrayEquals(envOriginal, Files.readAllBytes(envFile), "CRLF and all");
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals(0, triage("undo", "--yes").exit());
        assertArrayEquals(original, Files.readAllBytes(compose));
    }

    @Test
    void redisMountFixRemovesTheVolumeLine() throws Exception {
        Path compose = work.resolve("docker-compose.yml");
        String original = """
                services:
                  mailserver:
                    image: mailserver/docker-mailserver:14.0.0
                    volumes:
                      - ./docker-data/dms/mail-state/:/var/mail-state/
                      - type: bind
                        source: ./docker-data/dms/redis
                        target: /var/lib/redis
                """;
        Files.writeString(compose, original);
        String c = dms(V14, "-v", dir("state") + ":/var/mail-state", "-v", dir("redis") + ":/var/lib/redis");
        Sh.Result r = triage("fix", "dms-v14-state", "--set", "container=" + c, "--set", "compose-file=" + compose, "--yes");
        assertTrue(r.out().contains("Applied 1 change(s)"), r.out());
        assertEquals("""
                services:
                  mailserver:
                    image: mailserver/docker-mailserver:14.0.0
                    volumes:
                      - ./docker-data/dms/mail-state/:/var/mail-state/
                """, Files.readString(compose));
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals(original, Files.readString(compose));
    }
}
