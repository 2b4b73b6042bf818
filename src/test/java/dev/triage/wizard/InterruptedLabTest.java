package dev.triage.wizard;

import dev.triage.app.Triage;
import dev.triage.engine.RunListener;
import dev.triage.engine.StepResult;
import dev.triage.lab.LabState;
import dev.triage.scenario.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A lab start killed with SIGKILL leaves its state in "starting" with a dead starter. Every face's
 * diagnosis goes through {@link WizardSession#diagnose}, which restores such a lab before its tests
 * (what the half-built lab broke on the host would be what they see). Without an engine the restore
 * cannot finish: that is said, and the state is kept for the next try.
 */
class InterruptedLabTest {
    @TempDir
    Path dir;

    @Test
    void aDiagnosisTriesToRestoreAKilledLabStartFirstAndSaysWhyItCouldNot() throws Exception {
        Triage triage = DemoScenarios.triage(dir);
        Path stateDir = dir.resolve("state");
        LabState state = new LabState();
        state.lab = "drop-in-docker-user";
        state.phase = "starting";
        state.token = "0123abcd";
        state.startedAt = Instant.now().minusSeconds(60).toString();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        state.pid = gone.pid();
        state.pidStarted = gone.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        state.save(stateDir);

        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=yes\n");
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (WizardSession session = new WizardSession(triage, Duration.ofSeconds(20), dir, m -> seen.add("notice: " + m))) {
            session.choose("demo-env");
            session.diagnose(Map.of("file", env.toString()), new RunListener() {
                @Override
                public void testFinished(TestNode test, StepResult result) {
                    seen.add("test: " + test.id());
                }
            }, () -> false);
            assertFalse(session.swept().contains("lab drop-in-docker-user (interrupted start)"),
                    "not restored, so not listed as removed: " + session.swept());
            // the failed attempt left nobody owning it: the session's next diagnosis tries again
            session.diagnose(Map.of("file", env.toString()), new RunListener() { }, () -> false);
            assertEquals(2, seen.stream().filter(s -> s.equals("notice: restoring lab drop-in-docker-user, whose start was interrupted")).count(),
                    seen.toString());
        }
        int restoring = seen.indexOf("notice: restoring lab drop-in-docker-user, whose start was interrupted");
        int firstTest = seen.indexOf("test: flag");
        assertTrue(restoring >= 0, seen.toString());
        assertTrue(firstTest > restoring, "restored before the tests: " + seen);
        assertTrue(seen.stream().anyMatch(s -> s.startsWith("notice: lab drop-in-docker-user is still half-built: the Docker engine does not answer")
                && s.contains("run triage lab stop again when it does")), seen.toString());
        assertTrue(LabState.read(stateDir).isPresent(), "kept for the next try");
        assertEquals("stopping", LabState.read(stateDir).orElseThrow().phase);
    }

    /** A lab another live process is taking down (lab stop) is left to it: two restores at once would undo twice. */
    @Test
    void aLabThatALiveProcessIsStoppingIsLeftToIt() throws Exception {
        Triage triage = DemoScenarios.triage(dir);
        LabState state = new LabState();
        state.lab = "drop-in-docker-user";
        state.phase = "stopping";
        state.token = "0123abcd";
        state.startedAt = Instant.now().minusSeconds(60).toString();
        ProcessHandle self = ProcessHandle.current();
        state.pid = self.pid();
        state.pidStarted = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        state.save(dir.resolve("state"));
        Once once = diagnoseOnce(triage);
        assertTrue(once.notices().stream().noneMatch(n -> n.contains("restoring lab")), once.notices().toString());
        assertEquals(self.pid(), LabState.read(dir.resolve("state")).orElseThrow().pid, "untouched");
    }

    @Test
    void noLabNoNotice() throws Exception {
        Once once = diagnoseOnce(DemoScenarios.triage(dir));
        assertTrue(once.swept().isEmpty(), once.swept().toString());
        assertTrue(once.notices().stream().noneMatch(n -> n.contains("lab")), once.notices().toString());
    }

    private record Once(List<String> notices, List<String> swept) { }

    /** One diagnosis of the demo scenario (an env file, no Docker) in a session of its own. */
    private Once diagnoseOnce(Triage triage) throws Exception {
        Path env = dir.resolve("app.env");
        Files.writeString(env, "DEMO=yes\n");
        List<String> notices = Collections.synchronizedList(new ArrayList<>());
        try (WizardSession session = new WizardSession(triage, Duration.ofSeconds(20), dir, notices::add)) {
            session.choose("demo-env");
            session.diagnose(Map.of("file", env.toString()), new RunListener() { }, () -> false);
            return new Once(notices, session.swept());
        }
    }
}
