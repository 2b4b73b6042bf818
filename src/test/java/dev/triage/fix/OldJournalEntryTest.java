package dev.triage.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A journal entry as this version's predecessors wrote it (every action type) stays readable. */
class OldJournalEntryTest {
    @TempDir
    Path dir;

    @Test
    void readsAnEntryWithEveryActionTypeWrittenByEarlierVersions() throws Exception {
        Path old = Path.of("src/test/resources/journal-old/fixes");
        Files.createDirectories(dir.resolve("fixes"));
        try (var files = Files.list(old)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("fixes").resolve(f.getFileName()));
            }
        }
        Journal.Listing listing = new Journal(dir).read();
        assertTrue(listing.unreadable().isEmpty(), listing.unreadable().toString());
        assertEquals(1, listing.entries().size());
        Journal.Entry e = listing.entries().get(0);
        assertEquals(Journal.State.APPLIED, e.state());
        assertEquals(List.of(IptablesRuleChange.class, NftRuleChange.class, SysctlSet.class, ModuleLoad.class,
                        FileWrite.class, ServiceRestart.class, ContainerRestart.class, DaemonEnvironment.class),
                e.steps().stream().map(s -> s.action().getClass()).toList());
        assertEquals(List.of("-i", "br-1", "-j", "ACCEPT"), ((IptablesRuleChange) e.steps().get(0).action()).rule());
        assertEquals("/etc/sysctl.d/99-triage.conf", ((DaemonEnvironment) e.steps().get(7).action()).file().path());
        assertTrue(e.steps().get(7).pending());
    }
}
