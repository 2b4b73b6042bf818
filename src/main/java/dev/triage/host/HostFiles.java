package dev.triage.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;

/**
 * Reading files someone else named (a compose file from a container label, an env file, a scenario
 * file) and writing files that may hold a user's secrets. A file is looked at before it is opened:
 * a folder, a named pipe, a device or a socket is refused with what it is (opening a FIFO blocks,
 * {@code /dev/zero} never ends), and so is a file over the size its kind may have. Files triage
 * writes for itself are created 0600 in folders created 0700, with that mode from the start.
 */
public final class HostFiles {
    /** Compose, env, master.cf and firewall files that triage reads or edits. */
    public static final long MAX_CONFIG = 4L << 20;
    /** A scenario file. */
    public static final long MAX_SCENARIO = 1L << 20;
    /** One journal entry (it may hold several whole config files). */
    public static final long MAX_JOURNAL_ENTRY = 32L << 20;

    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private HostFiles() { }

    /** A file refused before (or while) reading it; the message says what it is and what to do. */
    public static final class RefusedFileException extends IOException {
        public RefusedFileException(String message) {
            super(message);
        }
    }

    /**
     * Null when {@code path} is (a link to) a regular file, else what is there instead, in words:
     * "does not exist", "is a folder, not a file", "is a named pipe (FIFO), not a file" ...
     */
    public static String notAFile(Path path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Files.isSymbolicLink(path) ? "is a symbolic link to a file that does not exist" : "does not exist";
        } catch (IOException | SecurityException e) {
            return "cannot be looked at (" + e.getMessage() + ")";
        }
        if (attrs.isRegularFile()) {
            return null;
        }
        if (attrs.isDirectory()) {
            return "is a folder, not a file";
        }
        return "is " + special(path) + ", not a regular file";
    }

    private static String special(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a named pipe (FIFO)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    /** As {@link #read(Path, long, String, Instant)} without a time limit. */
    public static byte[] read(Path path, long limit, String what) throws IOException {
        return read(path, limit, what, null);
    }

    /**
     * The bytes of a regular file of at most {@code limit} bytes; {@code what} names the kind of file
     * for the message ("compose file"). Reading stops at the deadline or when the thread is
     * interrupted, so an abandoned probe does not go on reading.
     */
    public static byte[] read(Path path, long limit, String what, Instant deadline) throws IOException {
        String not = notAFile(path);
        if (not != null) {
            throw new RefusedFileException(what + " " + path + " " + not);
        }
        long size = Files.size(path);
        if (size > limit) {
            throw tooLarge(path, what, size, limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(size, 0) + 16);
        try (SeekableByteChannel in = Files.newByteChannel(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf.array(), 0, n);
                buf.clear();
                if (out.size() > limit) {
                    throw tooLarge(path, what, out.size(), limit); // it grew since it was looked at
                }
                if (Thread.currentThread().isInterrupted() || deadline != null && Instant.now().isAfter(deadline)) {
                    throw new RefusedFileException("stopped reading " + what + " " + path + ": its time limit passed");
                }
            }
        }
        return out.toByteArray();
    }

    /** UTF-8 text of a regular file of at most {@code limit} bytes; another encoding is refused. */
    public static String readText(Path path, long limit, String what) throws IOException {
        return utf8(read(path, limit, what), path, what);
    }

    public static String utf8(byte[] bytes, Path path, String what) throws RefusedFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RefusedFileException(what + " " + path + " is not UTF-8 text");
        }
    }

    private static RefusedFileException tooLarge(Path path, String what, long size, long limit) {
        return new RefusedFileException(what + " " + path + " is " + mib(size) + ", more than the " + mib(limit)
                + " triage reads for one: is it the right file?");
    }

    static String mib(long bytes) {
        return bytes >= (1L << 20) ? (bytes >> 20) + " MiB" : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    /**
     * Creates {@code file} with {@code perms} from the start (never a chmod after the bytes are in)
     * and writes {@code data}; refuses an existing file or link ({@code O_CREAT|O_EXCL}).
     */
    public static void createNew(Path file, byte[] data, Set<PosixFilePermission> perms) throws IOException {
        try (SeekableByteChannel out = Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(perms))) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException e) {
            if (!(e instanceof FileAlreadyExistsException)) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    /** A new file only its owner can read (0600). */
    public static void createPrivate(Path file, byte[] data) throws IOException {
        createNew(file, data, PRIVATE_FILE);
    }

    /**
     * Makes {@code dir} (and missing parents) a folder only its owner can enter: created 0700; an
     * existing one of this user's own is narrowed to 0700 (an older triage made it 0755). A link, a
     * folder of another user, or one that others may write (such as {@code /tmp}) is refused.
     */
    public static Path privateDir(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            } catch (FileAlreadyExistsException raced) {
                // made by another triage at the same moment: checked below
            }
        }
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attrs.isSymbolicLink() || !attrs.isDirectory()) {
            throw new RefusedFileException(dir + " is not a folder (a link or a file is there)");
        }
        String me = System.getProperty("user.name");
        if (me != null && !attrs.owner().getName().equals(me)) {
            throw new RefusedFileException(dir + " belongs to " + attrs.owner().getName() + ", not to " + me);
        }
        Set<PosixFilePermission> p = attrs.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new RefusedFileException(dir + " can be written by others: not a place for triage's state");
        }
        if (!p.equals(PRIVATE_DIR)) {
            Files.setPosixFilePermissions(dir, PRIVATE_DIR);
        }
        return dir;
    }
}
