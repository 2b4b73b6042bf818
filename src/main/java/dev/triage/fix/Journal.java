package dev.triage.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every applied fix, with what undo needs, in the XDG state folder ({@code ~/.local/state/triage}).
 * An entry is written before the first change and after each one, so a crash mid-fix still leaves
 * an undoable record. One fix or undo at a time (a file lock).
 */
public final class Journal {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private final Path dir;

    public Journal(Path dir) {
        this.dir = dir;
    }

    /** $TRIAGE_STATE_DIR, else $XDG_STATE_HOME/triage, else ~/.local/state/triage. */
    public static Path defaultDir(Map<String, String> env) {
        String explicit = env.get("TRIAGE_STATE_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "triage");
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "triage");
    }

    public Path dir() {
        return dir;
    }

    public record Step(FixAction action, Map<String, String> undo) { }

    public record Entry(String id, String scenario, String verdict, String fix, String title, String appliedAt,
                        String state, List<Step> steps, String note) {
        Entry with(String newState, List<Step> newSteps, String newNote) {
            return new Entry(id, scenario, verdict, fix, title, appliedAt, newState, newSteps, newNote);
        }
    }

    public Entry begin(String scenario, String verdict, String fix, String title) throws FixException {
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + fix + "-" + Long.toHexString(System.nanoTime() & 0xfff);
        Entry entry = new Entry(id, scenario, verdict, fix, title, now.toString(), "applying", List.of(), null);
        save(entry);
        return entry;
    }

    public Path backupDir(String id) {
        return dir.resolve("backups").resolve(id);
    }

    public void save(Entry entry) throws FixException {
        try {
            Files.createDirectories(dir.resolve("fixes"));
            Path file = dir.resolve("fixes").resolve(entry.id() + ".json");
            Path tmp = dir.resolve("fixes").resolve("." + entry.id() + ".tmp");
            JSON.writeValue(tmp.toFile(), entry);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FixException("cannot write the fix journal in " + dir + ": " + e.getMessage()
                    + " (set TRIAGE_STATE_DIR to a writable folder)");
        }
    }

    public List<Entry> entries() throws FixException {
        Path fixes = dir.resolve("fixes");
        if (!Files.isDirectory(fixes)) {
            return List.of();
        }
        List<Entry> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                all.add(JSON.readValue(f.toFile(), Entry.class));
            }
        } catch (IOException e) {
            throw new FixException("cannot read the fix journal in " + dir + ": " + e.getMessage());
        }
        all.sort(Comparator.comparing((Entry e) -> Instant.parse(e.appliedAt())).thenComparing(Entry::id));
        return all;
    }

    /** The named entry, or the newest one that is still applied. */
    public Optional<Entry> find(String id) throws FixException {
        List<Entry> all = entries();
        if (id != null) {
            return all.stream().filter(e -> e.id().equals(id)).findFirst();
        }
        // the newest change that can be taken back: a fix that only restarted something has nothing to undo
        for (int i = all.size() - 1; i >= 0; i--) {
            String state = all.get(i).state();
            boolean reversible = all.get(i).steps().stream().anyMatch(s -> s.action().reversible());
            if (reversible && (state.equals("applied") || state.equals("applying") || state.equals("undo-incomplete"))) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** Holds the journal lock for the duration of a fix or an undo. */
    public AutoCloseable lock() throws FixException {
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new FixException("another triage fix or undo is running (lock " + dir.resolve("lock") + ")");
            }
            return () -> {
                lock.release();
                channel.close();
            };
        } catch (IOException e) {
            throw new FixException("cannot lock the fix journal in " + dir + ": " + e.getMessage());
        }
    }
}
