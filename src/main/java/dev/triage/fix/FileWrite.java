package dev.triage.fix;

import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.triage.host.HostFiles;
import dev.triage.host.HostUser;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a whole file whose new content was computed when the fix was planned (a sysctl.d or
 * modules-load.d file, a compose override, an env file edit). Refuses when the file changed since
 * the preview; backs the old bytes up; undo restores them byte for byte (or removes a file it created).
 *
 * @param expectedSha256 hash of the file when planned, null when it did not exist
 */
public record FileWrite(String path, String content, String expectedSha256, String mode, String why) implements FixAction {

    public FileWrite {
        if (!path.startsWith("/") || path.contains("/../") || path.contains("\0") || path.endsWith("/")) {
            throw new IllegalArgumentException("not an absolute file path: " + path);
        }
        if (!mode.matches("[0-7]{3}")) {
            throw new IllegalArgumentException("not a file mode: " + mode);
        }
    }

    /** Plans a write of {@code content} to {@code path}, capturing the current state for the preview. */
    public static FileWrite plan(Path file, String content, String why) throws FixException {
        Path target = file.toAbsolutePath();
        try {
            if (Files.exists(target)) {
                target = target.toRealPath(); // edit what a symlink points to, and keep the link
            }
        } catch (IOException e) {
            throw new FixException("cannot resolve " + file + ": " + e.getMessage());
        }
        String hash = Files.exists(target) ? sha256(read(target)) : null;
        return new FileWrite(target.toString(), content, hash, "644", why);
    }

    @Override
    public String describe() {
        return (expectedSha256 == null ? "Create " : "Change ") + path + ": " + why;
    }

    /** The file already holds exactly this content: applying would change nothing. */
    public boolean changesNothing() {
        try {
            Path p = Path.of(path);
            return Files.isRegularFile(p) && java.util.Arrays.equals(read(p), content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (FixException e) {
            return false;
        }
    }

    @Override
    public List<String> preview() {
        if (changesNothing()) {
            return List.of("(no change: " + path + " already has this content)"); // never an empty diff
        }
        String old = "";
        try {
            Path p = Path.of(path);
            old = Files.exists(p) ? new String(read(p), java.nio.charset.StandardCharsets.UTF_8) : "";
        } catch (FixException e) {
            old = "";
        }
        return TextDiff.unified(expectedSha256 == null ? "/dev/null" : path, path, old, content);
    }

    /** A backup copy, then the planned content written whole, through a quoted here-document. */
    @Override
    public List<String> script() {
        String q = dev.triage.host.ShellQuote.join(List.of(path));
        String end = "TRIAGE_EOF";
        while (content.contains(end)) {
            end = end + "_";
        }
        List<String> lines = new java.util.ArrayList<>();
        preview().forEach(l -> lines.add("# " + l));
        lines.add("[ -e " + q + " ] && cp -p " + q + " " + dev.triage.host.ShellQuote.join(List.of(path + ".before-triage")));
        lines.add((content.endsWith("\n") || content.isEmpty() ? "cat > " : "head -c -1 > ") + q + " <<'" + end + "'");
        lines.addAll(List.of(content.split("\n", -1)).subList(0, content.endsWith("\n") ? content.split("\n", -1).length - 1
                : content.split("\n", -1).length));
        lines.add(end);
        return lines;
    }

    @Override
    public boolean needed(FixHost host) throws FixException {
        Path p = Path.of(path);
        return !Files.exists(p) || !java.util.Arrays.equals(read(p), bytes());
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        return apply(host, intent(host));
    }

    /**
     * Checks that the file is as planned and backs it up (a new 0600 file in the fix's 0700 backup
     * folder, whatever the file's own mode): all before anything changes, so the journal can record
     * it first.
     */
    @Override
    public Map<String, String> intent(FixHost host) throws FixException {
        Path p = Path.of(path);
        boolean existed = Files.exists(p);
        byte[] before = existed ? read(p) : null;
        String now = existed ? sha256(before) : null;
        if (!java.util.Objects.equals(now, expectedSha256)) {
            throw new FixException(path + " changed since the plan was shown; run the fix again to see the new plan");
        }
        try {
            Path parent = p.getParent();
            String oldMode = "";
            String owner = "";
            String backupPath = "";
            if (existed) {
                Path backup = newBackup(HostFiles.privateDir(host.backupDir()));
                HostFiles.createPrivate(backup, before);
                backupPath = backup.toString();
                oldMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                owner = Files.getAttribute(p, "unix:uid") + ":" + Files.getAttribute(p, "unix:gid");
            }
            return Map.of("existed", String.valueOf(existed), "backup", backupPath, "mode", oldMode, "owner", owner,
                    "createdDir", Files.exists(parent) ? "" : parent.toString(), "written", sha256(bytes()));
        } catch (IOException e) {
            throw new FixException("cannot back up " + path + ": " + e.getMessage() + HostUser.rootHint());
        }
    }

    @Override
    public Map<String, String> apply(FixHost host, Map<String, String> intent) throws FixException {
        Path p = Path.of(path);
        boolean existed = Boolean.parseBoolean(intent.get("existed"));
        try {
            Files.createDirectories(p.getParent());
            atomicWrite(p, bytes(), existed ? PosixFilePermissions.fromString(intent.get("mode")) : modeBits(),
                    intent.getOrDefault("owner", ""));
            return intent;
        } catch (IOException e) {
            throw new FixException("cannot write " + path + ": " + e.getMessage() + HostUser.rootHint());
        }
    }

    /** A backup name not taken yet: a plan may change the same file twice, and each step keeps its own. */
    private Path newBackup(Path dir) {
        Path backup = dir.resolve(backupName());
        for (int i = 2; Files.exists(backup, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            backup = dir.resolve(backupName() + "." + i);
        }
        return backup;
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        Path p = Path.of(path);
        boolean existed = Boolean.parseBoolean(undo.get("existed"));
        try {
            byte[] original = existed ? HostFiles.read(Path.of(undo.get("backup")), Long.MAX_VALUE, "backup") : null;
            boolean present = Files.exists(p);
            if (existed ? present && java.util.Arrays.equals(read(p), original) : !present) {
                return; // already as before the fix (an undo that is run again)
            }
            if (present && !sha256(read(p)).equals(undo.get("written"))) {
                throw new FixException(path + " was changed after the fix; not overwriting it. The original is in "
                        + (existed ? undo.get("backup") : "(none: the file did not exist)"));
            }
            if (existed) {
                atomicWrite(p, original, PosixFilePermissions.fromString(undo.get("mode")), undo.getOrDefault("owner", ""));
            } else {
                Files.deleteIfExists(p);
                String dir = undo.getOrDefault("createdDir", "");
                if (!dir.isEmpty()) {
                    try {
                        Files.deleteIfExists(Path.of(dir));
                    } catch (java.nio.file.DirectoryNotEmptyException ignored) {
                        // someone else put files there since
                    }
                }
            }
        } catch (IOException e) {
            throw new FixException("cannot restore " + path + ": " + e.getMessage());
        }
    }

    @JsonIgnore
    private byte[] bytes() {
        return content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private String backupName() {
        return Path.of(path).getFileName() + "." + Integer.toHexString(path.hashCode()) + ".orig";
    }

    private Set<PosixFilePermission> modeBits() {
        StringBuilder sb = new StringBuilder();
        for (char c : mode.toCharArray()) {
            int v = c - '0';
            sb.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(sb.toString());
    }

    /** Temporary files end so: {@code .NAME.<host/pid/start of the run, as a token>.<random>.triage-tmp}. */
    static final String TMP_SUFFIX = ".triage-tmp";

    /**
     * Same folder temp file (created 0600), then rename: a crash leaves the old or the new file,
     * never half of one. The temp file's name carries the run's owner, so that the next run can
     * remove one that a killed run left ({@link TempFiles}).
     */
    private static void atomicWrite(Path target, byte[] data, Set<PosixFilePermission> perms, String owner) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), TempFiles.prefix(target), TMP_SUFFIX,
                PosixFilePermissions.asFileAttribute(HostFiles.PRIVATE_FILE));
        try {
            Files.write(tmp, data);
            if (!owner.isEmpty()) {
                // a root-run fix must not hand the admin's mailu.env to root
                String[] ids = owner.split(":");
                Files.setAttribute(tmp, "unix:uid", Integer.parseInt(ids[0]));
                Files.setAttribute(tmp, "unix:gid", Integer.parseInt(ids[1]));
            }
            Files.setPosixFilePermissions(tmp, perms);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A file to edit: a regular file of at most {@link HostFiles#MAX_CONFIG}; anything else is refused as what it is. */
    static byte[] read(Path p) throws FixException {
        return read(p, "file");
    }

    /** As {@link #read(Path)}, naming the kind of file in messages ("env file /srv/mailu.env is a folder, not a file"). */
    static byte[] read(Path p, String what) throws FixException {
        try {
            return HostFiles.read(p, HostFiles.MAX_CONFIG, what);
        } catch (HostFiles.RefusedFileException e) {
            throw new FixException(e.getMessage());
        } catch (IOException e) {
            throw new FixException("cannot read " + p + ": " + e.getMessage());
        }
    }

    /**
     * A text file to edit: UTF-8 only. A file in another encoding is refused rather than rewritten,
     * since decoding it as UTF-8 would change bytes in lines the edit does not touch.
     */
    static String text(Path p) throws FixException {
        return text(p, "file");
    }

    static String text(Path p, String what) throws FixException {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(read(p, what))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new FixException(p + " is not UTF-8 text; triage edits only UTF-8 files: make the change by hand");
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        if (!Boolean.parseBoolean(undo.get("existed"))) {
            String dir = undo.getOrDefault("createdDir", "");
            return dir.isEmpty() ? List.of("remove " + path + " (the fix created it)")
                    : List.of("remove " + path + " (the fix created it)", "remove the folder " + dir + " if nothing else is in it");
        }
        List<String> lines = new java.util.ArrayList<>();
        lines.add("restore " + path + " byte for byte from " + undo.get("backup") + " (mode " + undo.get("mode") + ")");
        try {
            Path p = Path.of(path);
            byte[] now = Files.exists(p) ? read(p) : new byte[0];
            if (Files.exists(p) && !sha256(now).equals(undo.get("written"))) {
                lines.add("(it was changed after the fix: undo will refuse to overwrite it)");
            }
            byte[] before = HostFiles.read(Path.of(undo.get("backup")), Long.MAX_VALUE, "backup");
            lines.addAll(TextDiff.unified(path, path, new String(now, java.nio.charset.StandardCharsets.UTF_8),
                    new String(before, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (FixException | IOException | RuntimeException e) {
            lines.add("(the difference cannot be shown: " + e.getMessage() + ")");
        }
        return lines;
    }
}
