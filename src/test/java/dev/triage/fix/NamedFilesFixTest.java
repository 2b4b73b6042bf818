package dev.triage.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 15 (14, 18): files named by a container label or an input are checked before they are read.
 * A 3 GB compose file ended in an OutOfMemoryError; a folder was reported as "does not exist".
 */
class NamedFilesFixTest {
    @TempDir
    Path dir;

    private static String refused(org.junit.jupiter.api.function.Executable planning) {
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(FixException.class, planning).getMessage());
    }

    @Test
    void aHugeComposeFileIsRefusedNotReadIntoMemory() throws Exception {
        Path compose = dir.resolve("docker-compose.yml");
        try (RandomAccessFile f = new RandomAccessFile(compose.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        String m = refused(() -> ComposeFileActions.imageTag(compose, List.of("ghcr.io/mailu/*"), "2024.06", "why"));
        assertTrue(m.contains("compose file") && m.contains("more than the 4 MiB"), m);
        m = refused(() -> ActionFactory.composeHostNetwork(compose, "why"));
        assertTrue(m.contains("more than the 4 MiB"), m);
    }

    @Test
    void aComposeFileLinkedToDevZeroIsRefused() throws Exception {
        Path compose = Files.createSymbolicLink(dir.resolve("compose.yaml"), Path.of("/dev/zero"));
        String m = refused(() -> ComposeFileActions.imageTag(compose, List.of("ghcr.io/mailu/*"), "2024.06", "why"));
        assertTrue(m.contains("character device"), m);
    }

    @Test
    void aFolderOrFifoGivenAsEnvFileIsNamedForWhatItIs() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("mailu.env"));
        String m = refused(() -> ActionFactory.envFileUnset(folder, List.of("X"), "why"));
        assertTrue(m.contains("is a folder, not a file") && !m.contains("does not exist"), m);
        m = refused(() -> ActionFactory.envFileSet(folder, List.of("X=1"), "why"));
        assertTrue(m.contains("is a folder, not a file") && !m.contains("does not exist"), m);
        Path fifo = dir.resolve("fifo.env");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        m = refused(() -> ActionFactory.envFileUnset(fifo, List.of("X"), "why"));
        assertTrue(m.contains("named pipe (FIFO)") && !m.contains("does not exist"), m);
        m = refused(() -> ActionFactory.envFileSet(dir.resolve("missing.env"), List.of("X=1"), "why"));
        assertTrue(m.contains("does not exist"), m);
    }
}
