package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every test of {@link BridgeScenarioIT}, against the test bed's Docker 28 (.ci/docker28.sh), and
 * the failure only new engines have: a kernel without the iptables raw table (moby #49557).
 */
class BridgeScenarioDocker28IT extends BridgeScenarioIT {
    @Override
    Engine engine() {
        return docker28OrSkip();
    }

    /**
     * The bed's stand-in for such a kernel makes "iptables -t raw" fail as the kernel does; Docker
     * 28.5 then refuses to start any container on a bridge. The verdict names the command, the
     * kernel's evidence and the fix's exact plan; nothing is changed and nothing is left behind.
     */
    @Test
    void aKernelWithoutTheRawTableIsIptablesRawMissingWithTheFixesPlan() throws Exception {
        Path noRaw = Path.of(engine().noRawSwitch());
        Files.writeString(noRaw, "");
        onCleanup(() -> Sh.run("rm", "-f", noRaw.toString()));
        byte[] defaults = Files.exists(Path.of("/etc/default/docker")) ? Files.readAllBytes(Path.of("/etc/default/docker")) : null;

        Sh.Result r = triage("diagnose", "bridge-intercontainer", "--json");
        JsonNode doc = json(r);
        assertEquals(1, r.exit(), r.err());
        assertEquals("iptables-raw-missing", doc.path("verdict").path("id").asText());
        // the diagnosis' own clock (JVM start aside: on a loaded CI machine that alone takes seconds)
        assertTrue(doc.path("millis").asLong() < 10_000, "bounded: " + doc.path("millis") + " ms");
        assertEquals("iptables-raw-missing", step(doc, "bridge").path("outcome").asText());
        JsonNode raw = step(doc, "raw-table").path("evidence");
        // with firewalld running, Docker's call goes through firewalld, which runs the command in its own words
        String command = System.getenv("TRIAGE_DOCKER28_FIREWALLD_BIN") != null ? "/usr/sbin/iptables -w10 -t raw -A PREROUTING -d "
                : "iptables --wait -t raw -A PREROUTING -d ";
        assertTrue(raw.path("failingCommand").asText().startsWith(command), raw.toString());
        assertFalse(raw.path("kernelConfig").asText().isBlank());
        assertFalse(raw.path("kernelRelease").asText().isBlank());
        String explanation = doc.path("verdict").path("explanation").asText();
        assertTrue(explanation.contains(raw.path("failingCommand").asText()), explanation);
        assertFalse(explanation.contains("Status 500"), "the engine's words, not the HTTP wrapping: " + explanation);

        // this kernel ships no iptable_raw module file: the fix is Docker's own switch, shown exactly
        JsonNode fixes = doc.path("fixes");
        assertEquals("load-iptable-raw", fixes.get(0).path("id").asText());
        assertFalse(fixes.get(0).path("available").asBoolean());
        assertEquals("docker-without-raw-table", fixes.get(1).path("id").asText());
        assertTrue(fixes.get(1).path("available").asBoolean(), fixes.toString());
        String preview = fixes.get(1).path("preview").toString();
        assertTrue(preview.contains("+export DOCKER_INSECURE_NO_IPTABLES_RAW=1") || preview.contains("+Environment=\\\"DOCKER_INSECURE_NO_IPTABLES_RAW=1\\\""),
                preview);
        assertTrue(preview.contains("restart"), preview);

        Sh.Result dry = triage("fix", "bridge-intercontainer", "--dry-run");
        assertTrue(dry.out().contains("turns OFF Docker's direct-routing protection"), dry.out());
        assertTrue(dry.out().contains("DOCKER_INSECURE_NO_IPTABLES_RAW=1"), dry.out());
        org.junit.jupiter.api.Assertions.assertArrayEquals(defaults,
                Files.exists(Path.of("/etc/default/docker")) ? Files.readAllBytes(Path.of("/etc/default/docker")) : null,
                "a dry run changes nothing");

        // the same engine without the stand-in: healthy again, so the verdict came from the kernel's refusal
        Files.delete(noRaw);
        Sh.Result healthy = triage("diagnose", "bridge-intercontainer", "--json");
        assertEquals("healthy", json(healthy).path("verdict").path("id").asText(), healthy.err());
    }

    /**
     * An API version under Docker 28's minimum (1.24 by default) is refused by the engine itself and
     * stays docker-unreachable, with the hint about DOCKER_API_VERSION and upgrading.
     */
    @Test
    void anApiVersionUnderDocker28sMinimumIsRefusedWithTheHint() {
        java.util.Map<String, String> env = env();
        env.put("DOCKER_API_VERSION", "1.23");
        Sh.Result r = triage(env, "diagnose", "bridge-intercontainer", "--json");
        JsonNode doc = json(r);
        assertEquals(1, r.exit(), r.err());
        assertEquals("docker-unreachable", doc.path("verdict").path("id").asText());
        JsonNode engine = step(doc, "engine");
        assertEquals("api-version-refused", engine.path("outcome").asText());
        assertTrue(engine.path("evidence").path("error").asText().contains("Minimum supported API version is 1.24"),
                engine.path("evidence").toString());
        assertTrue(engine.path("evidence").path("hint").asText().contains("DOCKER_API_VERSION"));
    }
}
