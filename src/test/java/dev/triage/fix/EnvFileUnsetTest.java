package dev.triage.fix;

import dev.triage.host.HostSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class EnvFileUnsetTest {
    private static final String WHY = "test fix";
    private static final String BEFORE = "# docker-mailserver settings\r\n"
            + "ONE_DIR=0\r\n"
            + "# ONE_DIR=0 stays a comment\r\n"
            + "ONE_DIR_X=1\r\n"
            + "  export ONE_DIR=1\n"
            + "POSTMASTER_ADDRESS=postmaster@example.org\r\n"
            + "ENABLE_CLAMAV=0";
    private static final String AFTER = "# docker-mailserver settings\r\n"
            + "# ONE_DIR=0 stays a comment\r\n"
            + "ONE_DIR_X=1\r\n"
            + "POSTMASTER_ADDRESS=postmaster@example.org\r\n"
            + "ENABLE_CLAMAV=0";

    @TempDir
    Path dir;

    private Path envFile(String content) throws Exception {
        Path file = dir.resolve("mailserver.env");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private FixHost host() {
        return new FixHost(new HostSystem(dir), dir.resolve("backups"));
    }

    @Test
    void removesTheKeysAndKeepsEverythingElseByteForByte() throws Exception {
        Path file = envFile(BEFORE);
        FileWrite write = ActionFactory.envFileUnset(file, List.of("ONE_DIR"), WHY);
        assertEquals(AFTER, write.content());
        assertNotNull(write.expectedSha256(), "the file existed when planned");
        assertArrayEquals(BEFORE.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file), "planning writes nothing");
        write.apply(host());
        assertArrayEquals(AFTER.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }

    @Test
    void buildsThroughTheFactory() throws Exception {
        Path file = envFile(BEFORE);
        FixAction action = new ActionFactory(dir.resolve("etc")).build("env-file-unset",
                Map.of("file", file.toString(), "keys", List.of("ONE_DIR")), WHY);
        FileWrite write = assertInstanceOf(FileWrite.class, action);
        assertEquals(file.toRealPath().toString(), write.path());
        assertEquals(AFTER, write.content());
        assertTrue(write.needed(host()));
    }

    @Test
    void severalKeys() throws Exception {
        Path file = envFile("A=1\nB=2\nC=3\nexport A=4\n");
        assertEquals("C=3\n", ActionFactory.envFileUnset(file, List.of("A", "B"), WHY).content());
    }

    @Test
    void aFileWithoutTheKeyIsNotChanged() throws Exception {
        Path file = envFile("ONE_DIR_X=1\n# ONE_DIR=1\n");
        FileWrite write = ActionFactory.envFileUnset(file, List.of("ONE_DIR"), WHY);
        assertEquals("ONE_DIR_X=1\n# ONE_DIR=1\n", write.content());
        assertFalse(write.needed(host()));
    }

    @Test
    void aSecondPlanIsNotNeeded() throws Exception {
        Path file = envFile(BEFORE);
        FixHost host = host();
        FileWrite first = ActionFactory.envFileUnset(file, List.of("ONE_DIR"), WHY);
        assertTrue(first.needed(host));
        first.apply(host);
        assertFalse(first.needed(host), "applied");
        FileWrite second = ActionFactory.envFileUnset(file, List.of("ONE_DIR"), WHY);
        assertEquals(AFTER, second.content());
        assertFalse(second.needed(host), "nothing left to remove");
    }

    @Test
    void undoRestoresTheBytes() throws Exception {
        Path file = envFile(BEFORE);
        FixHost host = host();
        FileWrite write = ActionFactory.envFileUnset(file, List.of("ONE_DIR"), WHY);
        Map<String, String> undo = write.apply(host);
        assertArrayEquals(AFTER.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        write.undo(host, undo);
        assertArrayEquals(BEFORE.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        write.undo(host, undo); // a second undo changes nothing
        assertArrayEquals(BEFORE.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }

    @Test
    void aRelativePathIsRefused() throws Exception {
        Path file = envFile(BEFORE);
        // relative to the working folder, and naming a file that exists: refused for being relative
        Path relative = Path.of("").toAbsolutePath().relativize(file.toAbsolutePath());
        assertFalse(relative.isAbsolute());
        assertTrue(Files.isRegularFile(relative), relative + " names the env file");
        FixException e = assertThrows(FixException.class, () -> ActionFactory.envFileUnset(relative, List.of("ONE_DIR"), WHY));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
        assertThrows(FixException.class, () -> new ActionFactory(dir.resolve("etc")).build("env-file-unset",
                Map.of("file", relative.toString(), "keys", List.of("ONE_DIR")), WHY));
        assertArrayEquals(BEFORE.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNotRewritten() throws Exception {
        // decoding Latin-1 as UTF-8 would turn the byte 0xE9 of a kept line into EF BF BD
        byte[] latin1 = "# caf\u00e9 (Latin-1)\nONE_DIR=1\nA=1\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("latin1.env");
        Files.write(file, latin1);
        FixException e = assertThrows(FixException.class, () -> ActionFactory.envFileUnset(file, List.of("ONE_DIR"), WHY));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
        assertArrayEquals(latin1, Files.readAllBytes(file));
    }

    @Test
    void aMissingFileIsRefused() {
        FixException e = assertThrows(FixException.class,
                () -> ActionFactory.envFileUnset(dir.resolve("nope.env"), List.of("ONE_DIR"), WHY));
        assertTrue(e.getMessage().contains("nope.env"), e.getMessage());
    }
}
