package dev.triage.fix;

import dev.triage.engine.StepResult;
import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;
import dev.triage.scenario.FixSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fix for a kernel without the raw table where no module can be loaded:
 * DOCKER_INSECURE_NO_IPTABLES_RAW=1 for dockerd where its init system reads it, then a restart.
 * Commands are recorded, not run: a test must never restart a real engine.
 */
class DaemonEnvironmentTest {
    private static final List<String> SET = List.of("DOCKER_INSECURE_NO_IPTABLES_RAW=1");

    /** A host under a temporary root whose commands are recorded and succeed. */
    static final class RecordingHost extends HostSystem {
        final List<List<String>> ran = new ArrayList<>();
        private final List<String> programs;

        RecordingHost(Path root, String... programs) {
            super(root);
            this.programs = List.of(programs);
        }

        @Override
        public Optional<String> which(String program) {
            return programs.contains(program) ? Optional.of("/usr/bin/" + program) : Optional.empty();
        }

        @Override
        public CommandResult run(Duration timeout, List<String> argv) {
            ran.add(List.copyOf(argv));
            return new CommandResult(argv, 0, "", "", false, 1);
        }
    }

    @Test
    void underSystemdItIsADropInThenDaemonReloadAndRestartAndUndoIsExact(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("run/systemd/system"));
        RecordingHost host = new RecordingHost(root, "systemctl");
        Path etc = root.resolve("etc");
        DaemonEnvironment a = DaemonEnvironment.plan(host, etc, "docker", "triage-no-raw.conf", SET, "why");
        Path dropIn = etc.resolve("systemd/system/docker.service.d/triage-no-raw.conf");
        assertEquals(dropIn.toString(), a.file().path());
        assertEquals("# why\n[Service]\nEnvironment=\"DOCKER_INSECURE_NO_IPTABLES_RAW=1\"\n", a.file().content());
        List<String> preview = a.preview();
        assertTrue(preview.contains("+Environment=\"DOCKER_INSECURE_NO_IPTABLES_RAW=1\""), preview.toString());
        assertEquals("$ systemctl daemon-reload", preview.get(preview.size() - 2));
        assertEquals("$ systemctl restart docker", preview.get(preview.size() - 1));

        FixRunner runner = new FixRunner(new Journal(root.resolve("state")), host);
        FixPlan plan = new FixPlan("docker-without-raw-table", "t", null, null, List.of(a),
                new FixSpec.VerifySpec("bridge", List.of("answered")), null, null);
        FixRunner.Outcome o = runner.apply("s", "v", plan,
                spec -> new StepResult("bridge", "B", "bridge-connect", "answered", 1, "ok", null, null, null), l -> { });
        assertTrue(o.applied() && o.verified());
        assertTrue(Files.exists(dropIn));
        assertEquals(List.of(List.of("systemctl", "daemon-reload"), List.of("systemctl", "restart", "docker")), host.ran);

        host.ran.clear();
        runner.undo(o.journalId(), l -> { });
        assertFalse(Files.exists(dropIn), "the drop-in it created is gone");
        assertFalse(Files.exists(dropIn.getParent()), "and the folder it created");
        assertEquals(List.of(List.of("systemctl", "daemon-reload"), List.of("systemctl", "restart", "docker")), host.ran,
                "undo restarts Docker again so the variable is gone from it too");
    }

    @Test
    void underASysvScriptItIsAnExportInEtcDefaultDockerUndoneByteForByte(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("etc/init.d"));
        Files.writeString(root.resolve("etc/init.d/docker"), "#!/bin/sh\n");
        byte[] before = "# Docker Upstart and SysV init configuration file\r\n#DOCKER_OPTS=\"--dns 8.8.8.8\"\nexport TMPDIR=\"/mnt/bigdrive/docker-tmp\"".getBytes();
        Path defaults = root.resolve("etc/default/docker");
        Files.createDirectories(defaults.getParent());
        Files.write(defaults, before);
        RecordingHost host = new RecordingHost(root, "service");
        DaemonEnvironment a = DaemonEnvironment.plan(host, root.resolve("etc"), "docker", "triage-no-raw.conf", SET, "why");
        assertEquals(defaults.toString(), a.file().path());
        assertTrue(a.file().content().startsWith(new String(before) + "\n# why\nexport DOCKER_INSECURE_NO_IPTABLES_RAW=1\n"),
                a.file().content());
        assertEquals("$ service docker restart", a.preview().get(a.preview().size() - 1));

        FixHost fixHost = new FixHost(host, root.resolve("backup"));
        assertTrue(a.needed(fixHost));
        var undo = a.apply(fixHost);
        assertEquals(List.of(List.of("service", "docker", "restart")), host.ran);
        DaemonEnvironment again = DaemonEnvironment.plan(host, root.resolve("etc"), "docker", "triage-no-raw.conf", SET, "why");
        assertFalse(again.needed(fixHost), "a second run changes nothing");
        a.undo(fixHost, undo);
        assertArrayEquals(before, Files.readAllBytes(defaults));
    }

    @Test
    void anExistingSettingIsReplacedNotDuplicated() {
        assertEquals("a=1\nexport DOCKER_INSECURE_NO_IPTABLES_RAW=1\nb=2\n",
                DaemonEnvironment.exportLine("a=1\nDOCKER_INSECURE_NO_IPTABLES_RAW=0\nb=2\n", "DOCKER_INSECURE_NO_IPTABLES_RAW", "1", "why"));
        assertEquals("# why\nexport K=1\n", DaemonEnvironment.exportLine("", "K", "1", "why"));
    }

    @Test
    void withoutSystemdOrAScriptItSaysWhatToDoAndValuesAreChecked(@TempDir Path root) {
        RecordingHost host = new RecordingHost(root);
        FixException e = assertThrows(FixException.class,
                () -> DaemonEnvironment.plan(host, root.resolve("etc"), "docker", "triage-no-raw.conf", SET, "why"));
        assertTrue(e.getMessage().contains("DOCKER_INSECURE_NO_IPTABLES_RAW=1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DaemonEnvironment.plan(host, root.resolve("etc"), "docker", "x.conf", List.of("A=$(reboot)"), "why"));
        assertThrows(IllegalArgumentException.class,
                () -> DaemonEnvironment.plan(host, root.resolve("etc"), "docker", "x.conf", List.of("lower=1"), "why"));
    }

    @Test
    void itSurvivesTheJournal(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("run/systemd/system"));
        RecordingHost host = new RecordingHost(root, "systemctl");
        DaemonEnvironment a = DaemonEnvironment.plan(host, root.resolve("etc"), "docker", "triage-no-raw.conf", SET, "why");
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        FixAction back = mapper.readValue(mapper.writerFor(FixAction.class).writeValueAsString(a), FixAction.class);
        assertEquals(a, back);
    }
}
