package dev.triage.fix;

import dev.triage.host.HostSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FileWriteTest {
    // no trailing newline, CRLF and a byte that is not UTF-8: restored exactly or not at all
    private static final byte[] ORIGINAL = {'a', '=', '1', '\r', '\n', (byte) 0xff, 'b', '=', '2'};

    @TempDir
    Path dir;
    private FixHost host;
    private Path file;

    @BeforeEach
    void setUp() throws Exception {
        host = new FixHost(new HostSystem(dir), dir.resolve("backups"));
        file = dir.resolve("app.conf");
        Files.write(file, ORIGINAL);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void applyWritesTheContentAndKeepsThePermissions() throws Exception {
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        write.apply(host);
        assertEquals("a = 2\n", Files.readString(file));
        assertEquals("rw-r-----", perms(file));
    }

    @Test
    void undoRestoresTheOriginalBytesAndPermissions() throws Exception {
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        Map<String, String> undo = write.apply(host);
        write.undo(host, undo);
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
        assertEquals("rw-r-----", perms(file));
    }

    @Test
    void newFileIsCreatedWithMode644AndUndoDeletesItAndItsNewFolder() throws Exception {
        Path created = dir.resolve("sub").resolve("new.conf");
        FileWrite write = FileWrite.plan(created, "x\n", "why");
        assertNull(write.expectedSha256());
        Map<String, String> undo = write.apply(host);
        assertEquals("x\n", Files.readString(created));
        assertEquals("rw-r--r--", perms(created));
        write.undo(host, undo);
        assertFalse(Files.exists(created));
        assertFalse(Files.exists(created.getParent()), "the folder the fix created is removed too");
    }

    @Test
    void applyRefusesWhenTheFileChangedAfterThePlan() throws Exception {
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        Files.writeString(file, "edited meanwhile\n");
        FixException e = assertThrows(FixException.class, () -> write.apply(host));
        assertTrue(e.getMessage().contains("changed since the plan was shown"), e.getMessage());
        assertEquals("edited meanwhile\n", Files.readString(file));
    }

    @Test
    void applyRefusesWhenAFilePlannedAsNewAppeared() throws Exception {
        Path created = dir.resolve("new.conf");
        FileWrite write = FileWrite.plan(created, "x\n", "why");
        Files.writeString(created, "someone else's\n");
        assertThrows(FixException.class, () -> write.apply(host));
        assertEquals("someone else's\n", Files.readString(created));
    }

    @Test
    void neededUntilAppliedThenNot() throws Exception {
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        assertTrue(write.needed(host));
        write.apply(host);
        assertFalse(write.needed(host));
    }

    @Test
    void undoRefusesToOverwriteAFileModifiedAfterTheFix() throws Exception {
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        Map<String, String> undo = write.apply(host);
        Files.writeString(file, "a = 3\n");
        FixException e = assertThrows(FixException.class, () -> write.undo(host, undo));
        assertTrue(e.getMessage().contains("was changed after the fix"), e.getMessage());
        assertEquals("a = 3\n", Files.readString(file));
    }

    @Test
    void previewOfANewFileIsADiffFromDevNull() throws Exception {
        Path created = dir.resolve("new.conf");
        FileWrite write = FileWrite.plan(created, "x = 1\n", "why");
        assertEquals(java.util.List.of("--- /dev/null", "+++ " + created, "@@ -0,0 +1,1 @@", "+x = 1"), write.preview());
    }

    @Test
    void relativeOrTraversingPathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FileWrite("etc/x.conf", "", null, "644", "why"));
        assertThrows(IllegalArgumentException.class, () -> new FileWrite("/etc/../root/x", "", null, "644", "why"));
        assertThrows(IllegalArgumentException.class, () -> new FileWrite("/etc/x.conf", "", null, "0644", "why"));
    }

    @Test
    void ownerIsKeptThroughApplyAndUndo() throws Exception {
        Files.setAttribute(file, "unix:uid", 1000);
        Files.setAttribute(file, "unix:gid", 1000);
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        Map<String, String> undo = write.apply(host);
        assertEquals(1000, Files.getAttribute(file, "unix:uid"), "a root-run fix keeps the admin's ownership");
        write.undo(host, undo);
        assertEquals(1000, Files.getAttribute(file, "unix:uid"));
        assertEquals(1000, Files.getAttribute(file, "unix:gid"));
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
    }

    @Test
    void aSymlinkStaysALinkAndItsTargetIsEdited() throws Exception {
        Path link = dir.resolve("mailu.env");
        Files.createSymbolicLink(link, file);
        FileWrite write = FileWrite.plan(link, "a = 2\n", "why");
        Map<String, String> undo = write.apply(host);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("a = 2\n", Files.readString(file));
        write.undo(host, undo);
        assertTrue(Files.isSymbolicLink(link));
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
    }

    @Test
    void undoRunTwiceIsHarmless() throws Exception {
        FileWrite write = FileWrite.plan(file, "a = 2\n", "why");
        Map<String, String> undo = write.apply(host);
        write.undo(host, undo);
        write.undo(host, undo);
        assertArrayEquals(ORIGINAL, Files.readAllBytes(file));
        FileWrite create = FileWrite.plan(dir.resolve("new.conf"), "x\n", "why");
        Map<String, String> createUndo = create.apply(host);
        create.undo(host, createUndo);
        create.undo(host, createUndo);
        assertFalse(Files.exists(dir.resolve("new.conf")));
    }
}
