package dev.triage.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileTest {
    @TempDir
    Path dir;

    @Test
    void logLivesInAPrivateFolderOfItsOwn() throws Exception {
        Path state = dir.resolve("state");
        LogFile log = LogFile.in(state);
        assertEquals(state.resolve("log").resolve("triage.log"), log.file().orElseThrow());
        assertTrue(log.warning().isEmpty());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("log"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.file().get())));
    }

    @Test
    void anExistingStateFolderKeepsItsMode() throws Exception {
        Path state = Files.createDirectory(dir.resolve("s"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));
        assertTrue(LogFile.in(state).file().isPresent());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    }

    @Test
    void aLinkedLogFolderOrFileIsRefusedNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path state = Files.createDirectory(dir.resolve("state"));
        Files.createSymbolicLink(state.resolve("log"), elsewhere);
        LogFile log = LogFile.in(state);
        assertTrue(log.file().isEmpty());
        assertTrue(log.warning().orElseThrow().contains("symbolic link"), log.warning().get());
        assertTrue(log.warning().get().contains("TRIAGE_STATE_DIR"));

        Path state2 = Files.createDirectory(dir.resolve("state2"));
        Path logDir = Files.createDirectory(state2.resolve("log"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path target = Files.writeString(dir.resolve("victim"), "keep");
        Files.createSymbolicLink(logDir.resolve("triage.log"), target);
        LogFile log2 = LogFile.in(state2);
        assertTrue(log2.file().isEmpty(), "a planted link is never written through");
        assertEquals("keep", Files.readString(target));
    }

    @Test
    void aFolderOthersCanWriteIsRefused() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        Path logDir = Files.createDirectory(state.resolve("log"));
        Files.setPosixFilePermissions(logDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(LogFile.in(state).warning().orElseThrow().contains("others can write"));
    }

    @Test
    void rotationTouchesOnlyItsOwnNames() throws Exception {
        Path state = dir.resolve("state");
        Path file = LogFile.in(state).file().orElseThrow();
        Path logDir = file.getParent();
        Files.write(file, new byte[(int) LogFile.ROTATE_BYTES]);
        Files.writeString(logDir.resolve("triage.log.1"), "one");
        Files.writeString(logDir.resolve("triage.log.2"), "two");
        Files.createDirectory(logDir.resolve("sub"));
        Files.createSymbolicLink(logDir.resolve("loop"), Path.of("."));

        Path again = LogFile.in(state).file().orElseThrow();
        assertEquals(file, again);
        assertEquals(0, Files.size(again), "a fresh log after rotation");
        assertEquals(LogFile.ROTATE_BYTES, Files.size(logDir.resolve("triage.log.1")));
        assertEquals("one", Files.readString(logDir.resolve("triage.log.2")));
        assertFalse(Files.exists(logDir.resolve("triage.log.3")));
        assertTrue(Files.isDirectory(logDir.resolve("sub")));
        assertTrue(Files.isSymbolicLink(logDir.resolve("loop")));
    }

    @Test
    void aSmallLogIsAppendedTo() throws Exception {
        Path state = dir.resolve("state");
        Path file = LogFile.in(state).file().orElseThrow();
        Files.writeString(file, "earlier\n");
        LogFile.in(state);
        assertEquals("earlier\n", Files.readString(file));
        assertFalse(Files.exists(file.resolveSibling("triage.log.1"), LinkOption.NOFOLLOW_LINKS));
    }
}
