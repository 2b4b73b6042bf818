package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incident 004 (Mailu out-of-office replies and PROXY_PROTOCOL) on the real engine: Mailu stacks
 * as created containers of re-tagged images, or only a mailu.env; the upgrade and the
 * stop-proxying-25 fixes applied to files of the test's own and undone byte for byte.
 */
class MailuProxyIT extends MailStackTest {

    @TempDir
    Path work;

    /** A Mailu stack: front (nginx) and imap (dovecot), one compose project, the same env. */
    private String stack(String version, String... env) {
        String project = unique("mailu");
        String[] options = new String[env.length * 2 + 4];
        options[0] = "--label";
        options[1] = "com.docker.compose.project=" + project;
        options[2] = "--label";
        options[3] = "com.docker.compose.service=front";
        for (int i = 0; i < env.length; i++) {
            options[4 + 2 * i] = "-e";
            options[5 + 2 * i] = env[i];
        }
        String front = created(tagged("ghcr.io/mailu/nginx:" + version), options);
        options[3] = "com.docker.compose.service=imap";
        created(tagged("ghcr.io/mailu/dovecot:" + version), options);
        return front;
    }

    @Test
    void port25ProxiedOnMailu20LosesOutOfOfficeReplies() {
        String front = stack("2.0", "PROXY_PROTOCOL=mail", "REAL_IP_FROM=192.0.2.0/24", "HOSTNAMES=mail.example.test");
        JsonNode d = diagnose("mailu-proxy-ooo");
        assertEquals("ooo-proxy-bug", verdict(d), d.toPrettyString());
        assertEquals(front, step(d, "find").path("evidence").path("name").asText(), "the front is the container read");
        assertTrue(step(d, "ports").path("evidence").path("ports").toString().contains("25"));
        assertEquals("", step(d, "ports").path("evidence").path("without25").asText(), "2.0 cannot split the mail ports");
    }

    @Test
    void fixedReleasesAndTheDevelopmentHead() {
        stack("2024.06", "PROXY_PROTOCOL=25,465,993", "REAL_IP_FROM=192.0.2.0/24");
        assertEquals("healthy", verdict(diagnose("mailu-proxy-ooo")));
    }

    @Test
    void masterIsNewerThanAnyRelease() {
        String front = stack("master", "PROXY_PROTOCOL=all", "REAL_IP_FROM=192.0.2.0/24");
        JsonNode d = diagnose("mailu-proxy-ooo", "container=" + front);
        assertEquals("healthy", verdict(d));
        assertEquals("at-least", step(d, "version").path("outcome").asText());
    }

    @Test
    void realIpFromMissing() {
        stack("2024.06.5", "PROXY_PROTOCOL=mail");
        assertEquals("real-ip-from-missing", verdict(diagnose("mailu-proxy-ooo")));
    }

    @Test
    void realIpHeaderMustBeUnset() {
        stack("2.0.31", "PROXY_PROTOCOL=http", "REAL_IP_FROM=192.0.2.0/24", "REAL_IP_HEADER=X-Forwarded-For");
        assertEquals("real-ip-header-set", verdict(diagnose("mailu-proxy-ooo")));
    }

    @Test
    void proxyProtocolOffIsHealthyOnAnyRelease() {
        stack("2.0");
        assertEquals("healthy", verdict(diagnose("mailu-proxy-ooo")));
    }

    @Test
    void noMailuAndAnEnvFileInstead() throws Exception {
        assertEquals("no-mailu-container", verdict(diagnose("mailu-proxy-ooo")));
        Path env = work.resolve("mailu.env");
        Files.writeString(env, "# Mailu\nPROXY_PROTOCOL=all\nREAL_IP_FROM=192.0.2.0/24\n");
        JsonNode unknown = diagnose("mailu-proxy-ooo", "env-file=" + env);
        assertEquals("version-unknown", verdict(unknown));
        assertEquals("ooo-proxy-bug", verdict(diagnose("mailu-proxy-ooo", "env-file=" + env, "version=2.0.31")));
        Sh.Result noDocker = triage(java.util.Map.of("TRIAGE_STATE_DIR", work.toString(), "DOCKER_HOST",
                "unix://" + work.resolve("no.sock")), "diagnose", "mailu-proxy-ooo", "--json", "--set", "env-file=" + env,
                "--set", "version=2.0.31");
        assertEquals("ooo-proxy-bug", json(noDocker).path("verdict").path("id").asText(),
                "mailu.env and version= need no engine: " + noDocker.out() + noDocker.err());
        Files.writeString(env, "PROXY_PROTOCOL=25,465\n");
        assertEquals("proxy-protocol-invalid", verdict(diagnose("mailu-proxy-ooo", "env-file=" + env, "version=2.0.31")),
                "a port list is 2024.06 syntax");
        Files.writeString(env, "PROXY_PROTOCOL=25,smtps\n");
        assertEquals("proxy-protocol-invalid", verdict(diagnose("mailu-proxy-ooo", "env-file=" + env, "version=2024.06")));
    }

    @Test
    void upgradeAndStopProxyingFixesRoundTrip() throws Exception {
        stack("2.0", "PROXY_PROTOCOL=all", "REAL_IP_FROM=192.0.2.0/24");
        Path compose = work.resolve("docker-compose.yml");
        byte[] composeOriginal = """
                services:
                  front:
                    image: ${DOCKER_ORG:-ghcr.io/mailu}/${DOCKER_PREFIX:-}nginx:${MAILU_VERSION:-2.0}
                    env_file: mailu.env
                  imap:
                    image: ghcr.io/mailu/dovecot:2.0
                  redis:
                    image: redis:alpine
                """.getBytes(StandardCharsets.UTF_8);
        Files.write(compose, composeOriginal);
        Path env = work.resolve("mailu.env");
        byte[] envOriginal = "SECRET_KEY=abc\nPROXY_PROTOCOL=all\nREAL_IP_FROM=192.0.2.0/24\n".getBytes(StandardCharsets.UTF_8);
        Files.write(env, envOriginal);

        Sh.Result upgrade = triage("fix", "mailu-proxy-ooo", "--set", "compose-file=" + compose, "--yes");
        assertTrue(upgrade.out().contains("+    image: ghcr.io/mailu/dovecot:2024.06"), upgrade.out());
        String upgraded = Files.readString(compose);
        assertTrue(upgraded.contains("nginx:${MAILU_VERSION:-2024.06}") && upgraded.contains("image: redis:alpine"), upgraded);

        Sh.Result stop = triage("fix", "mailu-proxy-ooo", "--set", "env-file=" + env, "--choose", "stop-proxying-25", "--yes");
        assertEquals("SECRET_KEY=abc\nPROXY_PROTOCOL=http\nREAL_IP_FROM=192.0.2.0/24\n", Files.readString(env), stop.out());

        assertEquals(0, triage("undo", "--yes").exit());
        assertArrayEquals(envOriginal, Files.readAllBytes(env));
        assertEquals(0, triage("undo", "--yes").exit());
        assertArrayEquals(composeOriginal, Files.readAllBytes(compose));
    }
}
