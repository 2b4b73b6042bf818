package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15 on the real engine: a container named must be of the scenario's kind; the engine's env
 * is a list (a newline inside a value makes no variable); a Mailu env file already right next to a
 * container that is not says "recreate the container", never the same edit again.
 */
class MailVerdictsIT extends MailStackTest {
    private static final String DMS = "mailserver/docker-mailserver:14.0.0";

    @TempDir
    Path work;

    private String withCompose(String image, String service, String... more) {
        String[] options = new String[more.length + 4];
        options[0] = "--label";
        options[1] = "com.docker.compose.project=" + unique("stack");
        options[2] = "--label";
        options[3] = "com.docker.compose.service=" + service;
        System.arraycopy(more, 0, options, 4, more.length);
        return created(tagged(image), options);
    }

    @Test
    void aContainerOfAnotherKindIsSaidToBeSo() {
        String dms = withCompose(DMS, "mailserver");
        JsonNode d = diagnose("mailu-proxy-ooo", "container=" + dms);
        assertEquals("not-mailu-container", verdict(d), d.toPrettyString());
        assertEquals("other-image", step(d, "find").path("outcome").asText());
        assertEquals("", step(d, "find").path("evidence").path("version").asText(), "no Mailu release read from a dms tag");
        assertEquals("inconclusive", d.path("status").asText());
        assertTrue(d.path("verdict").path("explanation").asText().contains(dms), d.toPrettyString());

        String mailu = withCompose("ghcr.io/mailu/nginx:2.0", "front");
        JsonNode m = diagnose("dms-v14-state", "container=" + mailu);
        assertEquals("not-dms-container", verdict(m), m.toPrettyString());
    }

    @Test
    void aNewlineInsideAnEnvValueMakesNoVariable() throws Exception {
        String state = Files.createDirectories(work.resolve("state")).toString();
        String mail = Files.createDirectories(work.resolve("mail")).toString();
        String c = withCompose(DMS, "mailserver", "-e", "FOO=x\nONE_DIR=1", "-v", state + ":/var/mail-state",
                "-v", mail + ":/var/mail/");
        JsonNode d = diagnose("dms-v14-state", "container=" + c);
        assertEquals("unset", step(d, "one-dir").path("outcome").asText(), d.toPrettyString());
        assertEquals("healthy", verdict(d), d.toPrettyString());
    }

    @Test
    void theEnvFileFixDoesNotLoop() throws Exception {
        String front = withCompose("ghcr.io/mailu/nginx:2.0", "front", "-e", "PROXY_PROTOCOL=all",
                "-e", "REAL_IP_FROM=192.0.2.0/24");
        Path env = work.resolve("mailu.env");
        Files.writeString(env, "SECRET_KEY=abc\nPROXY_PROTOCOL=all\nREAL_IP_FROM=192.0.2.0/24\n");
        JsonNode before = diagnose("mailu-proxy-ooo", "container=" + front, "env-file=" + env);
        assertEquals("ooo-proxy-bug", verdict(before), before.toPrettyString());

        Sh.Result stop = triage("fix", "mailu-proxy-ooo", "--set", "container=" + front, "--set", "env-file=" + env,
                "--choose", "stop-proxying-25", "--yes");
        assertEquals("SECRET_KEY=abc\nPROXY_PROTOCOL=http\nREAL_IP_FROM=192.0.2.0/24\n", Files.readString(env), stop.out() + stop.err());

        // the file is right now, the container is not (it keeps the environment it was created with)
        JsonNode after = diagnose("mailu-proxy-ooo", "container=" + front, "env-file=" + env);
        assertEquals("container-not-recreated", verdict(after), after.toPrettyString());
        String why = after.path("verdict").path("explanation").asText();
        assertTrue(why.contains("docker compose up -d") && why.contains("the environment of container " + front)
                && why.contains(env.toString()), why);
        for (JsonNode fix : after.path("fixes")) {
            assertFalse(fix.path("id").asText().equals("stop-proxying-25"), "the same edit is not offered again: " + fix);
        }
        Sh.Result again = triage("fix", "mailu-proxy-ooo", "--set", "container=" + front, "--set", "env-file=" + env,
                "--choose", "stop-proxying-25", "--dry-run", "--json");
        JsonNode doc = json(again);
        assertTrue(doc.path("fix").path("notApplied").asText().contains("not offered"), doc.toPrettyString());
        assertEquals(0, triage("undo", "--yes").exit());
        assertEquals("SECRET_KEY=abc\nPROXY_PROTOCOL=all\nREAL_IP_FROM=192.0.2.0/24\n", Files.readString(env));
    }
}
