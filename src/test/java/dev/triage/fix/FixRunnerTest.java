package dev.triage.fix;

import dev.triage.engine.StepResult;
import dev.triage.host.HostSystem;
import dev.triage.scenario.FixSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FixRunnerTest {
    private static final byte[] ORIGINAL = "keep = me\r\nno newline at end".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final FixSpec.VerifySpec VERIFY = new FixSpec.VerifySpec("bridge", List.of("answered"));

    @TempDir
    Path dir;
    private Path file;
    private Journal journal;
    private FixRunner runner;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("app.conf");
        Files.write(file, ORIGINAL);
        journal = new Journal(dir.resolve("state"));
        runner = new FixRunner(journal, new HostSystem(dir));
    }

    private static StepResult result(String outcome) {
        return new StepResult("bridge", "Bridge", "bridge-connect", outcome, 5, "it said " + outcome, null, null, null);
    }

    private FixPlan plan(FixAction... actions) {
        return new FixPlan("demo", "Demo fix", null, null, List.of(actions), VERIFY, null, null);
    }

    private FixRunner.Outcome apply(FixPlan plan, String verifiedOutcome) throws FixException {
        return runner.apply("scn", "verdict", plan, spec -> result(verifiedOutcome), progress::add);
    }

    private Journal.Entry onlyEntry() throws FixException {
        List<Journal.Entry> entries = journal.entries();
        assertEquals(1, entries.size(), entries::toString);
        return entries.get(0);
    }

    @Test
    void applyChangesTheFileAndJournalsAnAppliedEntry() throws Exception {
        FixRunner.Outcome outcome = apply(plan(FileWrite.plan(file, "new\n", "why")), "answered");
        assertTrue(outcome.applied());
        assertTrue(outcome.verified());
        assertFalse(outcome.rolledBack());
        assertEquals(1, outcome.changes());
        assertEquals("new\n", Files.readString(file));
        Journal.Entry entry = onlyEntry();
        assertEquals(outcome.journalId(), entry.id());
        assertEquals("applied", entry.state().json());
        assertEquals("demo", entry.fix());
        assertEquals(1, entry.steps().size());
    }

    @Test
    void secondApplyOfTheSamePlanChangesNothingAndRecordsNothing() throws Exception {
        FixPlan plan = plan(FileWrite.plan(file, "new\n", "why"));
        apply(plan, "answered");
        FixRunner.Outcome second = apply(plan, "answered");
        assertTrue(second.nothingToChange());
        assertFalse(second.applied());
        assertNull(second.journalId());
        assertEquals(0, second.changes());
        onlyEntry();
    }

    @Test
    void undoRestoresTheFileByteForByte() throws Exception {
        apply(plan(FileWrite.plan(file, "new\n", "why")), "answered");
        FixRunner.UndoOutcome undo = runner.undo(null, progress::add);
        assertEquals(List.of(), undo.problems());
        assertEquals(1, undo.reverted());
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
        assertEquals("undone", onlyEntry().state().json());
    }

    @Test
    void undoOfAnUndoneFixIsRefused() throws Exception {
        FixRunner.Outcome outcome = apply(plan(FileWrite.plan(file, "new\n", "why")), "answered");
        runner.undo(outcome.journalId(), progress::add);
        assertThrows(FixException.class, () -> runner.undo(outcome.journalId(), progress::add));
        assertThrows(FixException.class, () -> runner.undo(null, progress::add), "no applied fix is left");
    }

    @Test
    void failedVerificationRollsBackByItself() throws Exception {
        FixRunner.Outcome outcome = apply(plan(FileWrite.plan(file, "new\n", "why")), "timeout");
        assertTrue(outcome.rolledBack());
        assertFalse(outcome.verified());
        assertEquals("timeout", outcome.verification().outcome());
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
        assertEquals("rolled-back", onlyEntry().state().json());
    }

    @Test
    void failingActionRollsBackTheActionsBeforeIt() throws Exception {
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "other\n");
        FileWrite second = FileWrite.plan(other, "changed\n", "why");
        Files.writeString(other, "edited after the plan\n"); // makes the second action refuse
        FixRunner.Outcome outcome = apply(plan(FileWrite.plan(file, "new\n", "why"), second), "answered");
        assertTrue(outcome.rolledBack());
        assertFalse(outcome.applied());
        assertNotNull(outcome.error());
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
        assertEquals("edited after the plan\n", Files.readString(other));
        assertEquals("rolled-back", onlyEntry().state().json());
    }

    /** The load-br-netfilter case: the sysctl only exists once the first action ran. */
    @Test
    void aLaterActionIsCheckedAfterTheEarlierOnesRan() throws Exception {
        Path key = dir.resolve("proc/sys/net/bridge/bridge-nf-call-iptables");
        FixAction appears = FileWrite.plan(key, "0\n", "stands in for modprobe br_netfilter");
        FixAction sysctl = new SysctlSet("net.bridge.bridge-nf-call-iptables", "1");
        FixRunner.Outcome outcome = apply(plan(appears, sysctl), "answered");
        assertTrue(outcome.applied(), progress::toString);
        assertEquals(2, outcome.changes());
        assertEquals("1", Files.readString(key).strip());
        runner.undo(null, progress::add);
        assertFalse(Files.exists(key));
    }

    /** A restart that records each call instead of touching Docker. */
    private static final class RecordingContainers implements ContainerControl {
        final List<String> restarted = new ArrayList<>();

        @Override
        public String restart(String container, java.time.Duration limit) {
            restarted.add(container);
            return "running, healthy";
        }
    }

    @Test
    void verificationIsRepeatedWithinItsWindowUntilItPasses() throws Exception {
        RecordingContainers containers = new RecordingContainers();
        FixRunner withDocker = new FixRunner(journal, new HostSystem(dir), containers);
        FixSpec.VerifySpec settle = new FixSpec.VerifySpec("front", List.of("verified"), java.time.Duration.ofSeconds(10));
        FixPlan restart = new FixPlan("restart", "Restart", null, null, List.of(new ContainerRestart("mail")), settle, null, null);
        List<String> answers = new ArrayList<>(List.of("peer-closed", "peer-closed", "verified"));
        FixRunner.Outcome o = withDocker.apply("scn", "verdict", restart, spec -> result(answers.remove(0)), progress::add);
        assertTrue(o.verified(), progress::toString);
        assertEquals(List.of("mail"), containers.restarted);
        assertEquals(List.of(), answers, "asked until it passed, then stopped");
    }

    @Test
    void verificationGivesUpWhenItsWindowHasPassed() throws Exception {
        FixSpec.VerifySpec settle = new FixSpec.VerifySpec("front", List.of("verified"), java.time.Duration.ofMillis(1500));
        FixPlan restart = new FixPlan("restart", "Restart", null, null, List.of(new ContainerRestart("mail")), settle, null, null);
        int[] calls = {0};
        FixRunner.Outcome o = new FixRunner(journal, new HostSystem(dir), new RecordingContainers())
                .apply("scn", "verdict", restart, spec -> { calls[0]++; return result("peer-closed"); }, progress::add);
        assertFalse(o.verified());
        assertTrue(calls[0] >= 2 && calls[0] <= 3, "retried about once a second: " + calls[0]);
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("cannot be undone")), progress::toString);
    }

    @Test
    void undoSkipsARestartOnlyFixAndRevertsTheFileFixBeforeIt() throws Exception {
        FixRunner withDocker = new FixRunner(journal, new HostSystem(dir), new RecordingContainers());
        withDocker.apply("scn", "verdict", plan(FileWrite.plan(file, "new\n", "why")), spec -> result("answered"), progress::add);
        FixPlan restart = new FixPlan("restart", "Restart", null, null, List.of(new ContainerRestart("mail")), VERIFY, null, null);
        FixRunner.Outcome restarted = withDocker.apply("scn", "verdict", restart, spec -> result("answered"), progress::add);
        var e = assertThrows(FixException.class, () -> withDocker.undo(restarted.journalId(), progress::add));
        assertTrue(e.getMessage().contains("cannot be taken back"), e.getMessage());
        FixRunner.UndoOutcome undone = withDocker.undo(null, progress::add);
        assertEquals(1, undone.reverted());
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
    }
}
