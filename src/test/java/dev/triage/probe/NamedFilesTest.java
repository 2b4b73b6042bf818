package dev.triage.probe;

import dev.triage.host.HostSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 15 (14): probes that read a file the admin names refuse a FIFO, a device or a huge file at once. */
class NamedFilesTest {
    @TempDir
    Path dir;

    private ProbeContext context() {
        return new ProbeContext(null, new HostSystem(dir), Instant.now().plusSeconds(5));
    }

    private ProbeResult<?> envValue(String file) throws Exception {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                new EnvValueProbe().run(new ProbeParams(Map.of("key", "PROXY_PROTOCOL", "file", file)), context()));
    }

    private ProbeResult<?> masterCf(String file) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                new PostfixMasterCfProbe().run(new ProbeParams(Map.of("file", file)), context()));
    }

    @Test
    void envFileDevZeroIsUnreadableAtOnce() throws Exception {
        ProbeResult<?> r = envValue("/dev/zero");
        assertEquals("unreadable", r.outcome());
        assertTrue(r.summary().contains("character device"), r.summary());
    }

    @Test
    void envFileFifoOrFolderIsUnreadableAndSaysWhatItIs() throws Exception {
        Path fifo = dir.resolve("mailu.env");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertTrue(envValue(fifo.toString()).summary().contains("named pipe"));
        ProbeResult<?> folder = envValue(dir.toString());
        assertEquals("unreadable", folder.outcome());
        assertTrue(folder.summary().contains("is a folder"), folder.summary());
    }

    @Test
    void postfixMasterCfFifoAndDevZeroAreUnreadable() throws Exception {
        Path fifo = dir.resolve("postfix-master.cf");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("unreadable", masterCf(fifo.toString()).outcome());
        assertEquals("unreadable", masterCf("/dev/zero").outcome());
        Path link = Files.createSymbolicLink(dir.resolve("link.cf"), Path.of("/dev/zero"));
        assertEquals("unreadable", masterCf(link.toString()).outcome());
    }
}
