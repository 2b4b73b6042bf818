package dev.triage.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Journal states are an enum in the code and the same strings in the files, old and new. */
class JournalStateTest {
    @TempDir
    Path dir;

    private Path onlyFile() throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
        }
    }

    @Test
    void theFileKeepsTheStringsEarlierVersionsWrote() throws Exception {
        Journal journal = new Journal(dir);
        Journal.Entry entry = journal.begin("s", "v", "f", "T");
        assertEquals(Journal.State.APPLYING, entry.state());
        Path file = onlyFile();
        assertTrue(Files.readString(file).matches("(?s).*\"state\"\\s*:\\s*\"applying\".*"), Files.readString(file));
        for (Journal.State s : Journal.State.values()) {
            // a file written before the enum, with each of the strings it used
            Files.writeString(file, Files.readString(file).replaceAll("\"state\"\\s*:\\s*\"[a-z-]+\"", "\"state\":\"" + s.json() + "\""));
            assertEquals(s, journal.entries().get(0).state());
        }
        assertEquals(java.util.List.of("applying", "applied", "rolled-back", "undone", "undo-incomplete"),
                Stream.of(Journal.State.values()).map(Journal.State::json).toList());
    }

    @Test
    void anUnknownStateMakesTheEntryUnreadableNotAnotherState() throws Exception {
        Journal journal = new Journal(dir);
        journal.begin("s", "v", "f", "T");
        Path file = onlyFile();
        Files.writeString(file, Files.readString(file).replaceAll("\"state\"\\s*:\\s*\"applying\"", "\"state\":\"half-done\""));
        Journal.Listing listing = journal.read();
        assertTrue(listing.entries().isEmpty());
        assertEquals(1, listing.unreadable().size(), listing.toString());
    }

    @Test
    void onlyOpenStatesCanBeUndone() {
        assertTrue(Journal.State.APPLIED.open() && Journal.State.APPLYING.open() && Journal.State.UNDO_INCOMPLETE.open());
        assertFalse(Journal.State.UNDONE.open() || Journal.State.ROLLED_BACK.open());
    }
}
