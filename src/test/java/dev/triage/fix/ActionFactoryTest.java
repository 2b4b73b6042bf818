package dev.triage.fix;

import dev.triage.host.HostSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ActionFactoryTest {
    private static final String WHY = "test fix";

    @TempDir
    Path dir;

    // --- setLine

    @Test
    void setLineReplacesAnExistingKeyInPlace() {
        String before = "# forwarding\nnet.ipv4.ip_forward = 0\nvm.swappiness = 10\n";
        assertEquals("# forwarding\nnet.ipv4.ip_forward = 1\nvm.swappiness = 10\n",
                ActionFactory.setLine(before, "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", WHY));
    }

    @Test
    void setLineMatchesKeyWithoutSpacesAroundEquals() {
        assertEquals("A=1\nREDIS_HOST=127.0.0.1\nB=2\n",
                ActionFactory.setLine("A=1\nREDIS_HOST=redis\nB=2\n", "REDIS_HOST", "REDIS_HOST=127.0.0.1", WHY));
    }

    @Test
    void setLineAppendsAMissingKey() {
        assertEquals("vm.swappiness = 10\nnet.ipv4.ip_forward = 1\n",
                ActionFactory.setLine("vm.swappiness = 10\n", "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", WHY));
    }

    @Test
    void setLineAppendsAfterALastLineWithoutNewline() {
        assertEquals("vm.swappiness = 10\nnet.ipv4.ip_forward = 1\n",
                ActionFactory.setLine("vm.swappiness = 10", "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", WHY));
    }

    @Test
    void setLineTwiceIsTheSameAsOnce() {
        String once = ActionFactory.setLine("vm.swappiness = 10\n", "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", WHY);
        assertEquals(once, ActionFactory.setLine(once, "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", WHY));
    }

    @Test
    void setLineLeavesCommentsAlone() {
        String before = "# net.ipv4.ip_forward = 0\n; net.ipv4.ip_forward = 0\n";
        assertEquals(before + "net.ipv4.ip_forward = 1\n",
                ActionFactory.setLine(before, "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", WHY));
    }

    @Test
    void setLineOnAMissingFileWritesAHeaderAndTheLine() {
        assertEquals("# Written by triage: test fix\nbr_netfilter\n", ActionFactory.setLine(null, "br_netfilter", "br_netfilter", WHY));
    }

    @Test
    void setLineMatchesBareModuleNames() {
        assertEquals("overlay\nbr_netfilter\n", ActionFactory.setLine("overlay\nbr_netfilter\n", "br_netfilter", "br_netfilter", WHY));
    }

    // --- compose-host-network

    private Path compose(String name) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                services:
                  admin:
                    image: mailu/admin
                    networks: [default]
                  redis:
                    image: redis:alpine
                """);
        return file;
    }

    @Test
    void composeHostNetworkWritesAnOverridePuttingEveryServiceOnTheHostNetwork() throws Exception {
        Path file = compose("docker-compose.yml");
        FixAction action = new ActionFactory(dir.resolve("etc")).build("compose-host-network",
                Map.of("compose-file", file.toString()), WHY);
        FileWrite write = assertInstanceOf(FileWrite.class, action);
        assertEquals(dir.resolve("docker-compose.override.yml").toString(), write.path());
        assertNull(write.expectedSha256(), "the override is a new file");
        String content = write.content();
        assertTrue(content.contains("services:\n  admin:\n    network_mode: host\n"), content);
        assertTrue(content.contains("\n  redis:\n    network_mode: host\n"), content);
        assertEquals(2, content.split("network_mode: host", -1).length - 1, content);
    }

    @Test
    void composeHostNetworkNeverTouchesTheComposeFile() throws Exception {
        Path file = compose("docker-compose.yml");
        byte[] before = Files.readAllBytes(file);
        FileWrite write = ActionFactory.composeHostNetwork(file, WHY);
        write.apply(new FixHost(new HostSystem(dir), dir.resolve("backups")));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(write.content(), Files.readString(dir.resolve("docker-compose.override.yml")));
    }

    @Test
    void composeDotYamlGetsComposeOverrideDotYaml() throws Exception {
        FileWrite write = ActionFactory.composeHostNetwork(compose("compose.yaml"), WHY);
        assertEquals(dir.resolve("compose.override.yaml").toString(), write.path());
    }

    @Test
    void composeHostNetworkRefusesWhenAnOverrideExists() throws Exception {
        Path file = compose("docker-compose.yml");
        Files.writeString(dir.resolve("docker-compose.override.yml"), "services: {}\n");
        FixException e = assertThrows(FixException.class, () -> ActionFactory.composeHostNetwork(file, WHY));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }

    @Test
    void composeHostNetworkRefusesAMissingComposeFile() {
        assertThrows(FixException.class, () -> ActionFactory.composeHostNetwork(dir.resolve("nope.yml"), WHY));
    }

    // --- env-file-set

    @Test
    void envFileSetReplacesKeysInPlaceAndAppendsMissingOnes() throws Exception {
        Path env = dir.resolve("mailu.env");
        Files.writeString(env, "# Mailu settings\nDOMAIN=example.org\nREDIS_HOST=redis\nSECRET_KEY=abc\n");
        FixAction action = new ActionFactory(dir.resolve("etc")).build("env-file-set", Map.of("file", env.toString(),
                "set", List.of("BIND_ADDRESS4=0.0.0.0", "REDIS_HOST=127.0.0.1", "DATABASE_HOST=127.0.0.1")), WHY);
        FileWrite write = assertInstanceOf(FileWrite.class, action);
        assertEquals("# Mailu settings\nDOMAIN=example.org\nREDIS_HOST=127.0.0.1\nSECRET_KEY=abc\n"
                + "BIND_ADDRESS4=0.0.0.0\nDATABASE_HOST=127.0.0.1\n", write.content());
        assertNotNull(write.expectedSha256(), "the env file existed when planned");
    }

    @Test
    void envFileSetRefusesAValueThatIsNotPlain() throws Exception {
        Path env = dir.resolve("mailu.env");
        Files.writeString(env, "A=1\n");
        assertThrows(FixException.class, () -> ActionFactory.envFileSet(env, List.of("A=$(reboot)"), WHY));
        assertThrows(FixException.class, () -> ActionFactory.envFileSet(env, List.of("A=1\nB=2"), WHY));
    }

    // --- sysctl-persist and module-persist go under the given etc

    @Test
    void sysctlPersistWritesKeyEqualsValueLinesUnderEtc() throws Exception {
        FileWrite write = assertInstanceOf(FileWrite.class, new ActionFactory(dir).build("sysctl-persist",
                Map.of("file", "99-t.conf", "set", List.of("net.ipv4.ip_forward=1")), WHY));
        assertEquals(dir.resolve("sysctl.d/99-t.conf").toString(), write.path());
        assertEquals("# Written by triage: test fix\nnet.ipv4.ip_forward = 1\n", write.content());
    }

    @Test
    void persistRefusesAFileNameThatLeavesItsFolder() {
        assertThrows(FixException.class, () -> new ActionFactory(dir).build("sysctl-persist",
                Map.of("file", "../../evil.conf", "set", List.of("net.ipv4.ip_forward=1")), WHY));
    }

    @Test
    void setLineRemovesLaterDuplicatesBecauseTheLastLineWins() {
        String out = ActionFactory.setLine("net.ipv4.ip_forward = 0\nother = 1\nnet.ipv4.ip_forward=0\n",
                "net.ipv4.ip_forward", "net.ipv4.ip_forward = 1", "why");
        assertEquals("net.ipv4.ip_forward = 1\nother = 1\n", out);
    }

    @Test
    void postfixMasterRenameIsAPreviewedFileEditThatUndoesByteForByte() throws Exception {
        Path file = dir.resolve("postfix-master.cf");
        byte[] before = "# keep\r\nsmtps/inet/smtpd_upstream_proxy_protocol=haproxy\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(file, before);
        FixAction action = new ActionFactory(dir).build("postfix-master-rename",
                Map.of("file", file.toString(), "from", "smtps", "to", "submissions"), WHY);
        assertTrue(String.join("\n", action.preview()).contains("+submissions/inet/smtpd_upstream_proxy_protocol=haproxy"),
                action.preview().toString());
        FixHost host = new FixHost(new HostSystem(dir), dir.resolve("backups"));
        assertTrue(action.needed(host));
        var undo = action.apply(host);
        assertEquals("# keep\r\nsubmissions/inet/smtpd_upstream_proxy_protocol=haproxy\r\n", Files.readString(file));
        assertFalse(new ActionFactory(dir).build("postfix-master-rename",
                Map.of("file", file.toString(), "from", "smtps", "to", "submissions"), WHY).needed(host), "a second run changes nothing");
        action.undo(host, undo);
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void postfixMasterRenameRefusesARelativeOrMissingFile() {
        var e = assertThrows(FixException.class, () -> new ActionFactory(dir).build("postfix-master-rename",
                Map.of("file", "postfix-master.cf", "from", "smtps", "to", "submissions"), WHY));
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @Test
    void containerRestartCannotBeUndoneAndSaysSo() throws Exception {
        FixAction restart = new ActionFactory(dir).build("container-restart", Map.of("container", "mailserver"), WHY);
        assertFalse(restart.reversible());
        assertEquals(List.of("$ docker restart mailserver   (through the Docker API; waits up to 3 minutes for it to be up)"),
                restart.preview());
        var e = assertThrows(FixException.class, () -> restart.apply(new FixHost(new HostSystem(dir), dir.resolve("b"))));
        assertTrue(e.getMessage().contains("docker restart mailserver"), e.getMessage());
        assertThrows(FixException.class, () -> new ActionFactory(dir).build("container-restart", Map.of("container", "x; rm -rf /"), WHY));
    }

    @Test
    void everyKindTheValidatorKnowsIsOneTheFactoryBuilds() {
        // one registry: a kind the catalog lists never reaches "unknown action kind" at plan time
        for (String kind : ActionFactory.kinds().keySet()) {
            try {
                new ActionFactory(Path.of("/nonexistent-etc")).build(kind, Map.of(), "why");
            } catch (FixException | RuntimeException e) {
                assertFalse(String.valueOf(e.getMessage()).contains("unknown action kind"), kind + ": " + e.getMessage());
            }
        }
        FixException unknown = assertThrows(FixException.class,
                () -> new ActionFactory(Path.of("/nonexistent-etc")).build("no-such-kind", Map.of(), "why"));
        assertEquals("unknown action kind no-such-kind", unknown.getMessage());
    }
}
