package dev.triage.app;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Where the log goes: {@code STATE/log/triage.log}, in a folder that holds only logs.
 *
 * <p>The folder is created 0700 and must be a real folder of the user's own that nobody else can
 * write; the log file must be a regular file, never a link. Rotation is done here, once at start,
 * with a fixed number of {@code stat}/{@code rename} calls: tinylog's rolling writer walks the whole
 * folder tree (following links) to find old files, which hung on a symlink loop or a busy folder.
 * There is no fallback to a shared folder such as {@code /tmp}: without a safe folder there is no
 * log, and {@link #warning()} says why in one line.
 */
public final class LogFile {
    /** Past this size the log is moved to triage.log.1 at the next start. */
    public static final long ROTATE_BYTES = 5L * 1024 * 1024;
    /** triage.log.1 .. triage.log.BACKUPS are kept. */
    public static final int BACKUPS = 2;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final String warning;

    private LogFile(Path file, String warning) {
        this.file = file;
        this.warning = warning;
    }

    /** The log file to write, if a safe one could be prepared. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Why there is no log, in one line for stderr; empty when there is one. */
    public Optional<String> warning() {
        return Optional.ofNullable(warning);
    }

    /** Prepares {@code stateDir/log/triage.log}: folder 0700, file 0600, rotated when large. */
    public static LogFile in(Path stateDir) {
        Path dir = stateDir.resolve("log");
        try {
            createPrivateDir(stateDir);
            createPrivateDir(dir);
            String unsafe = unsafeFolder(dir);
            if (unsafe != null) {
                return none(dir, unsafe);
            }
            Path log = dir.resolve("triage.log");
            rotate(log);
            try {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException exists) {
                // appended to below, once it is known to be a plain file
            }
            if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
                return none(dir, log.getFileName() + " there is not a regular file");
            }
            if (!Files.isWritable(log)) {
                return none(dir, "cannot write " + log.getFileName());
            }
            return new LogFile(log, null);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return none(dir, dev.triage.host.Failures.words(e));
        }
    }

    private static LogFile none(Path dir, String why) {
        return new LogFile(null, "triage: no log this time: " + why + " (in " + dir
                + "); set TRIAGE_STATE_DIR to a folder of your own");
    }

    /** Creates a missing folder 0700; an existing one is left as it is (and checked by the caller). */
    private static void createPrivateDir(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException raced) {
            return; // another triage made it at the same moment
        } catch (java.nio.file.NoSuchFileException parentMissing) {
            Files.createDirectories(dir.getParent());
            createPrivateDir(dir);
            return;
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have taken bits away; never added
    }

    /** Why the log folder cannot be trusted, or null: a link, another owner, or writable by others. */
    static String unsafeFolder(Path dir) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink()) {
            return "the log folder is a symbolic link";
        }
        if (!attrs.isDirectory()) {
            return "the log folder is not a folder";
        }
        String me = System.getProperty("user.name");
        if (me != null && !attrs.owner().getName().equals(me)) {
            return "the log folder belongs to " + attrs.owner().getName() + ", not to " + me;
        }
        Set<PosixFilePermission> p = attrs.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "others can write the log folder";
        }
        return null;
    }

    /** triage.log -> .1 -> .2 ...; only these names are touched, whatever else the folder holds. */
    static void rotate(Path log) throws IOException {
        if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) || Files.size(log) < ROTATE_BYTES) {
            return;
        }
        Path dir = log.getParent();
        String name = log.getFileName().toString();
        Files.deleteIfExists(dir.resolve(name + "." + BACKUPS));
        for (int i = BACKUPS - 1; i >= 1; i--) {
            Path from = dir.resolve(name + "." + i);
            if (Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(from, dir.resolve(name + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            Files.move(log, dir.resolve(name + ".1"), StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.NoSuchFileException raced) {
            // another triage rotated it first
        }
    }
}
