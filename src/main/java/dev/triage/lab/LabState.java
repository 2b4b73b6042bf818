package dev.triage.lab;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running lab, in the state folder ({@code lab/current.json}, 0600 in a 0700 folder): which
 * lab, since when, hints used, the values its steps produced, and every resource it created,
 * written before each creation so that a start killed half-way is still restored completely.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class LabState {
    /** Made on first use: every diagnosis looks for a half-built lab before its tests, and there is mostly none. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** starting: being built (restored if its process is gone); running: built; stopping: being restored. */
    public String phase = "starting";
    public String lab;
    public String token;
    public String startedAt;
    public long pid;
    public long pidStarted;
    public int hintsUsed;
    public Map<String, String> values = new LinkedHashMap<>();
    public Map<String, String> inputs = new LinkedHashMap<>();
    public List<Resource> resources = new ArrayList<>();
    public Collateral.Snapshot before;

    /** One thing the lab made; {@code attrs} says what restore needs (names, old values, pids). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Resource {
        public String kind;
        public Map<String, String> attrs = new LinkedHashMap<>();

        public Resource() { }

        Resource(String kind, Map<String, String> attrs) {
            this.kind = kind;
            this.attrs = new LinkedHashMap<>(attrs);
        }
    }

    public static Path folder(Path stateDir) {
        return stateDir.resolve("lab");
    }

    static Path file(Path stateDir) {
        return folder(stateDir).resolve("current.json");
    }

    /** The lab's own files (compose file, certificates, configuration): restored by deleting the folder. */
    public Path filesDir(Path stateDir) {
        return folder(stateDir).resolve("files-" + token);
    }

    public static Optional<LabState> read(Path stateDir) {
        Path f = file(stateDir);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(f.toFile(), LabState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the lab state " + f + ": " + e.getMessage(), e);
        }
    }

    public void save(Path stateDir) {
        Path dir = folder(stateDir);
        try {
            createPrivateDir(stateDir);
            createPrivateDir(dir);
            Path tmp = dir.resolve(".current.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, Json.MAPPER.writeValueAsBytes(this));
            Files.move(tmp, file(stateDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab state in " + dir + ": " + e.getMessage()
                    + " (set TRIAGE_STATE_DIR to a writable folder)", e);
        }
    }

    public static void delete(Path stateDir) {
        try {
            Files.deleteIfExists(file(stateDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Whether the process that is (or was) building this lab is gone. */
    /** Records this process as the one building or taking down the lab (what starterGone() checks). */
    void ownedByThisProcess() {
        ProcessHandle self = ProcessHandle.current();
        pid = self.pid();
        pidStarted = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    boolean starterGone() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - pidStarted) < 2000).orElse(true))
                .isEmpty();
    }
}
