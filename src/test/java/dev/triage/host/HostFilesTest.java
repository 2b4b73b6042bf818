package dev.triage.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 15 (14): type and size are checked before a file is opened; files for triage's own use are 0600 from the start. */
class HostFilesTest {
    @TempDir
    Path dir;

    static Path fifo(Path dir) throws Exception {
        Path fifo = dir.resolve("pipe.yaml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        return fifo;
    }

    private static String refused(Path p, long limit) {
        // a FIFO would block in open() and /dev/zero never ends: both must be refused at once
        return assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(HostFiles.RefusedFileException.class, () -> HostFiles.read(p, limit, "env file")).getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        String m = refused(fifo(dir), 1 << 20);
        assertTrue(m.contains("named pipe (FIFO)") && m.contains("not a regular file"), m);
    }

    @Test
    void devZeroAndALinkToItAreRefused() throws Exception {
        assertTrue(refused(Path.of("/dev/zero"), 1 << 20).contains("character device"));
        Path link = Files.createSymbolicLink(dir.resolve("compose.yaml"), Path.of("/dev/zero"));
        assertTrue(refused(link, 1 << 20).contains("character device"));
    }

    @Test
    void aFolderIsAFolderAndAMissingFileDoesNotExist() throws Exception {
        assertTrue(refused(dir, 1 << 20).contains("is a folder, not a file"));
        assertTrue(refused(dir.resolve("nope.env"), 1 << 20).endsWith("does not exist"));
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("gone"));
        assertTrue(refused(dangling, 1 << 20).contains("symbolic link to a file that does not exist"));
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeReading() throws Exception {
        Path big = dir.resolve("big.yaml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GiB, sparse
        }
        String m = refused(big, HostFiles.MAX_CONFIG);
        assertTrue(m.contains("3072 MiB") && m.contains("4 MiB"), m);
    }

    @Test
    void readingStopsAtTheDeadline() throws Exception {
        Path f = dir.resolve("f.env");
        Files.write(f, new byte[300_000]);
        IOException e = assertThrows(IOException.class,
                () -> HostFiles.read(f, 1 << 20, "env file", Instant.now().minusSeconds(1)));
        assertTrue(e.getMessage().contains("time limit"), e.getMessage());
        assertEquals(300_000, HostFiles.read(f, 1 << 20, "env file", Instant.now().plusSeconds(5)).length);
    }

    @Test
    void privateFilesAreCreated0600AndNeverThroughAPlantedLink() throws Exception {
        Path f = dir.resolve("report.md");
        HostFiles.createPrivate(f, "secret".getBytes());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Path planted = Files.createSymbolicLink(dir.resolve("plan.sh"), victim);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> HostFiles.createPrivate(planted, "x".getBytes()));
        assertEquals("keep", Files.readString(victim));
    }

    @Test
    void aPrivateFolderIsCreated0700AndASharedOneRefused() throws Exception {
        Path state = HostFiles.privateDir(dir.resolve("a/b/state"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(HostFiles.RefusedFileException.class, () -> HostFiles.privateDir(shared));
        Path link = Files.createSymbolicLink(dir.resolve("link"), state);
        assertThrows(HostFiles.RefusedFileException.class, () -> HostFiles.privateDir(link));
    }
}
