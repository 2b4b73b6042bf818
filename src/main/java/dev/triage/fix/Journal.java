package dev.triage.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.triage.host.HostFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    /** Made on first use: every start asks {@link #defaultDir} (for the log), few read or write an entry. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

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

    /**
     * One change of a fix. {@code pending} marks the intent, recorded before the change is made (with
     * what undo needs, such as the backup), so that an undo after a crash at any moment restores.
     */
    public record Step(FixAction action, Map<String, String> undo, boolean pending) {
        public Step(FixAction action, Map<String, String> undo) {
            this(action, undo, false);
        }
    }

    /** Where a fix stands; the JSON values are those of every journal file written so far. */
    public enum State {
        APPLYING("applying"), APPLIED("applied"), ROLLED_BACK("rolled-back"), UNDONE("undone"), UNDO_INCOMPLETE("undo-incomplete");

        private final String json;

        State(String json) {
            this.json = json;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return json;
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static State of(String json) {
            for (State s : values()) {
                if (s.json.equals(json)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("not a fix state: '" + json + "'");
        }

        /** The state in words, for people ({@code triage history}). */
        public String words() {
            return switch (this) {
                case APPLYING -> "interrupted while being applied (undo takes back what it changed)";
                case APPLIED -> "applied";
                case ROLLED_BACK -> "rolled back by triage (not in effect)";
                case UNDONE -> "undone";
                case UNDO_INCOMPLETE -> "undo incomplete (undo can be tried again)";
            };
        }

        /** Something of the fix may still be changed on the system: undo can take it back, its temp files are swept. */
        public boolean open() {
            return this == APPLYING || this == APPLIED || this == UNDO_INCOMPLETE;
        }
    }

    public record Entry(String id, String scenario, String verdict, String fix, String title, String appliedAt,
                        State state, List<Step> steps, String note) {
        Entry with(State newState, List<Step> newSteps, String newNote) {
            return new Entry(id, scenario, verdict, fix, title, appliedAt, newState, newSteps, newNote);
        }
    }

    /** The readable entries, oldest first, and one line for each file that could not be read. */
    public record Listing(List<Entry> entries, List<String> unreadable) { }

    public Entry begin(String scenario, String verdict, String fix, String title) throws FixException {
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + fix + "-" + Long.toHexString(System.nanoTime() & 0xfff);
        Entry entry = new Entry(id, scenario, verdict, fix, title, now.toString(), State.APPLYING, List.of(), null);
        save(entry);
        return entry;
    }

    /** This fix's backup folder (0700 in a 0700 folder), created when first asked for. */
    public Path backupDir(String id) throws FixException {
        Path backups = dir.resolve("backups");
        try {
            HostFiles.privateDir(dir);
            HostFiles.privateDir(backups);
            return HostFiles.privateDir(backups.resolve(id));
        } catch (IOException e) {
            throw new FixException("cannot make the backup folder in " + backups + ": " + e.getMessage()
                    + " (set TRIAGE_STATE_DIR to a folder of your own)");
        }
    }

    /** Writes the entry whole: a new 0600 file, then renamed over the old one, so a crash leaves one or the other. */
    public void save(Entry entry) throws FixException {
        try {
            Path fixes = fixesDir();
            Path file = fixes.resolve(entry.id() + ".json");
            Path tmp = fixes.resolve("." + entry.id() + ".tmp");
            Files.deleteIfExists(tmp); // left by a crash: only one fix or undo runs at a time
            HostFiles.createPrivate(tmp, Json.MAPPER.writeValueAsBytes(entry));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FixException("cannot write the fix journal in " + dir + ": " + e.getMessage()
                    + " (set TRIAGE_STATE_DIR to a writable folder)");
        }
    }

    /** Removes half-written entries ({@code .ID.tmp}) of a run killed while saving; called under the lock. */
    public void sweepTemporaryEntries() {
        Path fixes = dir.resolve("fixes");
        if (!Files.isDirectory(fixes, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.list(fixes)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\..+\\.tmp")).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            org.tinylog.Logger.warn("cannot sweep {}: {}", fixes, e.getMessage());
        }
    }

    private Path fixesDir() throws IOException {
        HostFiles.privateDir(dir);
        return HostFiles.privateDir(dir.resolve("fixes"));
    }

    /** The readable entries; an unreadable file is left out (see {@link #read()} for which and why). */
    public List<Entry> entries() throws FixException {
        return read().entries();
    }

    /**
     * Every entry, each read on its own: one that is truncated, not an entry, a folder or a link is
     * skipped and named in {@link Listing#unreadable()}, and never stops the others from being read.
     */
    public Listing read() throws FixException {
        Path fixes = dir.resolve("fixes");
        if (!Files.isDirectory(fixes, LinkOption.NOFOLLOW_LINKS)) {
            return new Listing(List.of(), List.of());
        }
        List<Entry> all = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Stream<Path> files = Files.list(fixes)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    all.add(readEntry(f));
                } catch (IOException | RuntimeException e) {
                    unreadable.add(f.getFileName() + ": " + oneLine(e));
                }
            }
        } catch (IOException e) {
            throw new FixException("cannot list the fix journal in " + fixes + ": " + e.getMessage());
        }
        all.sort(Comparator.comparing((Entry e) -> Instant.parse(e.appliedAt())).thenComparing(Entry::id));
        return new Listing(all, unreadable);
    }

    private static Entry readEntry(Path f) throws IOException {
        if (Files.isSymbolicLink(f)) {
            throw new IOException("a symbolic link, not an entry written by triage");
        }
        Entry e = Json.MAPPER.readValue(HostFiles.read(f, HostFiles.MAX_JOURNAL_ENTRY, "journal entry"), Entry.class);
        if (e == null || e.id() == null || e.state() == null || e.appliedAt() == null || e.steps() == null
                || !f.getFileName().toString().equals(e.id() + ".json")) {
            throw new IOException("not a complete fix entry");
        }
        Instant.parse(e.appliedAt());
        for (Step step : e.steps()) {
            if (step == null || step.action() == null || step.undo() == null) {
                throw new IOException("a step without its action or undo data");
            }
        }
        return e;
    }

    private static String oneLine(Exception e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        m = m == null ? e.getClass().getSimpleName() : m;
        m = m.lines().findFirst().orElse("").strip();
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    /** The named entry, or the newest one that is still applied. */
    public Optional<Entry> find(String id) throws FixException {
        return find(id, entries());
    }

    /** As {@link #find(String)} among {@code all}. */
    public static Optional<Entry> find(String id, List<Entry> all) {
        if (id != null) {
            return all.stream().filter(e -> e.id().equals(id)).findFirst();
        }
        // the newest change that can be taken back: a fix that only restarted something has nothing to undo
        for (int i = all.size() - 1; i >= 0; i--) {
            boolean reversible = all.get(i).steps().stream().anyMatch(s -> s.action().reversible());
            if (reversible && all.get(i).state().open()) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** Holds the journal lock for the duration of a fix or an undo. */
    public AutoCloseable lock() throws FixException {
        try {
            HostFiles.privateDir(dir);
            FileChannel channel = FileChannel.open(dir.resolve("lock"), java.util.Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(HostFiles.PRIVATE_FILE));
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
