package dev.triage.fix;

import dev.triage.engine.StepResult;
import dev.triage.host.HostSystem;
import dev.triage.scenario.FixSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 15: file modes of the journal (11), a crash at any point of a fix (15), unreadable entries (16). */
class JournalSafetyTest {
    private static final FixSpec.VerifySpec VERIFY = new FixSpec.VerifySpec("bridge", List.of("answered"));
    private static final String SECRET = "DB_PASSWORD=hunter2\nPROXY_PROTOCOL=all\n";

    @TempDir
    Path dir;
    private Path env;
    private Path state;
    private Journal journal;
    private FixRunner runner;
    private final List<String> progress = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        env = dir.resolve("mailu.env");
        Files.writeString(env, SECRET);
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        state = dir.resolve("state");
        journal = new Journal(state);
        runner = new FixRunner(journal, new HostSystem(dir));
    }

    private FixPlan plan(FixAction... actions) {
        return new FixPlan("demo", "Demo fix", null, null, List.of(actions), VERIFY, null, null);
    }

    private static StepResult passed() {
        return new StepResult("bridge", "Bridge", "bridge-connect", "answered", 5, "it answered", null, null, null);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    // --- 11: nothing triage writes for itself can be read by others

    @Test
    void journalEntriesBackupsAndTheirFoldersAreOwnerOnly() throws Exception {
        Path compose = dir.resolve("compose.yaml");
        Files.writeString(compose, "services: {}\n"); // 0644 like most compose files, and may hold secrets too
        runner.apply("scn", "v", plan(FileWrite.plan(env, "DB_PASSWORD=hunter2\nPROXY_PROTOCOL=http\n", "why"),
                FileWrite.plan(compose, "services: {a: {}}\n", "why")), spec -> passed(), progress::add);
        assertEquals("rwx------", mode(state));
        List<Path> files;
        try (Stream<Path> all = Files.walk(state)) {
            files = all.toList();
        }
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".json")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".orig")), files.toString());
        for (Path f : files) {
            assertEquals(Files.isDirectory(f) ? "rwx------" : "rw-------", mode(f), f.toString());
        }
        assertEquals("rw-------", mode(env), "the edited file keeps its own mode");
        assertEquals("rw-r--r--", mode(compose), "the edited file keeps its own mode");
    }

    @Test
    void anOlderStateFolderOpenToOthersIsNarrowed() throws Exception {
        Files.createDirectories(state.resolve("fixes"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
        runner.apply("scn", "v", plan(FileWrite.plan(env, "X=1\n", "why")), spec -> passed(), progress::add);
        assertEquals("rwx------", mode(state));
        assertEquals("rwx------", mode(state.resolve("fixes")));
    }

    @Test
    void aStateFolderOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        FixRunner r = new FixRunner(new Journal(shared), new HostSystem(dir));
        FixException e = assertThrows(FixException.class,
                () -> r.apply("scn", "v", plan(FileWrite.plan(env, "X=1\n", "why")), spec -> passed(), progress::add));
        assertTrue(e.getMessage().contains("written by others"), e.getMessage());
        assertEquals(SECRET, Files.readString(env), "nothing changed");
    }

    // --- 15: the intent is journaled before the change; a crash at any moment can be undone

    /** Thrown from the progress callback: the process "dies" there, with no rollback and no journal update. */
    private static final class Crash extends Error {
        Crash() {
            super("simulated SIGKILL");
        }
    }

    private void applyAndCrashAt(String progressStart, FixPlan plan) throws Exception {
        assertThrows(Crash.class, () -> runner.apply("scn", "v", plan, spec -> passed(), line -> {
            progress.add(line);
            if (line.startsWith(progressStart)) {
                throw new Crash();
            }
        }), "the run reached '" + progressStart + "'");
    }

    @Test
    void crashRightAfterTheFileWasWrittenIsUndoneFromTheBackup() throws Exception {
        applyAndCrashAt("changed: ", plan(FileWrite.plan(env, "PROXY_PROTOCOL=http\n", "why")));
        assertEquals("PROXY_PROTOCOL=http\n", Files.readString(env), "the change was made before the crash");
        FixRunner.UndoOutcome undo = new FixRunner(journal, new HostSystem(dir)).undo(null, progress::add);
        assertEquals(List.of(), undo.problems());
        assertEquals(SECRET, Files.readString(env), "restored byte for byte");
        assertEquals("rw-------", mode(env));
    }

    @Test
    void crashBeforeTheFileWasWrittenUndoesNothingAndSaysSo() throws Exception {
        applyAndCrashAt("applying: ", plan(FileWrite.plan(env, "PROXY_PROTOCOL=http\n", "why")));
        assertEquals(SECRET, Files.readString(env));
        FixRunner.UndoOutcome undo = new FixRunner(journal, new HostSystem(dir)).undo(null, progress::add);
        assertEquals(List.of(), undo.problems());
        assertEquals(SECRET, Files.readString(env));
    }

    @Test
    void crashBetweenTwoFilesRestoresBoth() throws Exception {
        Path other = dir.resolve("other.conf");
        Files.writeString(other, "a\n");
        FileWrite first = FileWrite.plan(env, "ONE\n", "why");
        FileWrite second = FileWrite.plan(other, "b\n", "why");
        assertThrows(Crash.class, () -> runner.apply("scn", "v", plan(first, second), spec -> passed(), line -> {
            if (line.equals("changed: " + second.describe())) {
                throw new Crash();
            }
        }));
        assertEquals("b\n", Files.readString(other));
        new FixRunner(journal, new HostSystem(dir)).undo(null, progress::add);
        assertEquals(SECRET, Files.readString(env));
        assertEquals("a\n", Files.readString(other));
    }

    @Test
    void temporaryFilesOfKilledRunsAreSweptButNotThoseOfLiveOnes() throws Exception {
        applyAndCrashAt("changed: ", plan(FileWrite.plan(env, "PROXY_PROTOCOL=http\n", "why")));
        Process gone = new ProcessBuilder("true").start();
        long goneStart = gone.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        gone.waitFor();
        Path dead = dir.resolve(".mailu.env." + gone.pid() + "-" + goneStart + ".123" + FileWrite.TMP_SUFFIX);
        Files.writeString(dead, SECRET);
        ProcessHandle self = ProcessHandle.current();
        Path live = dir.resolve(".mailu.env." + self.pid() + "-"
                + self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L) + ".456" + FileWrite.TMP_SUFFIX);
        Files.writeString(live, "being written");
        Path journalTmp = state.resolve("fixes").resolve(".20260101-000000-x-1.tmp");
        Files.writeString(journalTmp, "{\"id\":");
        new FixRunner(journal, new HostSystem(dir)).undo(null, progress::add);
        assertFalse(Files.exists(dead), "a killed run's temp file is removed");
        assertFalse(Files.exists(journalTmp), "a half-written journal entry is removed");
        assertTrue(Files.exists(live), "a running triage's temp file is kept");
        assertTrue(progress.stream().anyMatch(l -> l.contains(dead.getFileName().toString())), progress.toString());
    }

    // --- 16: one unreadable entry never stops undo of the others

    @Test
    void unreadableEntriesAreSkippedAndReportedAndUndoStillWorks() throws Exception {
        FixRunner.Outcome o = runner.apply("scn", "v", plan(FileWrite.plan(env, "CHANGED=1\n", "why")), spec -> passed(),
                progress::add);
        Path fixes = state.resolve("fixes");
        Files.writeString(fixes.resolve("truncated.json"), "{\"id\": \"truncated\", \"steps\": [");
        Files.writeString(fixes.resolve("array.json"), "[]");
        Files.writeString(fixes.resolve("empty.json"), "");
        Files.createDirectory(fixes.resolve("x.json"));
        Files.createSymbolicLink(fixes.resolve("link.json"), fixes.resolve(o.journalId() + ".json"));
        Files.createSymbolicLink(fixes.resolve("fifo-like.json"), Path.of("/dev/zero"));
        Journal.Listing listing = journal.read();
        assertEquals(1, listing.entries().size(), listing.toString());
        assertEquals(6, listing.unreadable().size(), listing.unreadable().toString());
        FixRunner.UndoOutcome undo = new FixRunner(journal, new HostSystem(dir)).undo(null, progress::add);
        assertEquals(o.journalId(), undo.journalId());
        assertEquals(SECRET, Files.readString(env));
        assertEquals(6, progress.stream().filter(l -> l.startsWith("skipped an unreadable journal entry")).count(), progress.toString());
        assertTrue(progress.stream().anyMatch(l -> l.contains("x.json") && l.contains("folder")), progress.toString());
    }

    @Test
    void withOnlyUnreadableEntriesUndoSaysSo() throws Exception {
        Files.createDirectories(state.resolve("fixes"));
        Files.writeString(state.resolve("fixes").resolve("bad.json"), "{not json");
        FixException e = assertThrows(FixException.class, () -> runner.undo(null, progress::add));
        assertTrue(e.getMessage().contains("nothing to undo") && e.getMessage().contains("1 unreadable journal entry skipped"),
                e.getMessage());
    }

    @Test
    void aFixStillAppliesNextToAnUnreadableEntry() throws Exception {
        Files.createDirectories(state.resolve("fixes"));
        Files.writeString(state.resolve("fixes").resolve("bad.json"), new String(new byte[]{'{'}, StandardCharsets.UTF_8));
        FixRunner.Outcome o = runner.apply("scn", "v", plan(FileWrite.plan(env, "X=1\n", "why")), spec -> passed(), progress::add);
        assertTrue(o.applied() && o.verified());
        runner.undo(o.journalId(), progress::add);
        assertEquals(SECRET, Files.readString(env));
    }

    // --- 18: messages that say what happened

    @Test
    void aSignalAfterAPassedVerificationRollsBackWithoutSayingItFailed() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        FixRunner.Outcome o = runner.apply("scn", "v", plan(FileWrite.plan(env, "X=1\n", "why")), spec -> {
            stop.set(true); // SIGTERM arrives while the verification runs, and it passes
            return passed();
        }, progress::add, stop::get);
        assertTrue(o.rolledBack());
        assertFalse(progress.toString().contains("verification failed"), progress.toString());
        assertTrue(o.error().contains("stopped by a signal after the verification passed"), o.error());
        assertFalse(journal.entries().get(0).note().contains("verification failed"), journal.entries().get(0).note());
        assertEquals(SECRET, Files.readString(env));
    }

    @Test
    void noRunAsRootAdviceWhenAlreadyRoot() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a folder is needed");
        FileWrite w = FileWrite.plan(blocker.resolve("sub.conf"), "x\n", "why");
        FixException e = assertThrows(FixException.class, () -> w.apply(new FixHost(new HostSystem(dir), dir.resolve("b"))));
        assertEquals(!dev.triage.host.HostUser.isRoot(), e.getMessage().contains("run as root"), e.getMessage());
    }
}
