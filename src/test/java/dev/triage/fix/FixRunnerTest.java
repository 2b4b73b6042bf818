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
        assertEquals("applied", entry.state());
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
        assertEquals("undone", onlyEntry().state());
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
        assertEquals("rolled-back", onlyEntry().state());
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
        assertEquals("rolled-back", onlyEntry().state());
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
}
