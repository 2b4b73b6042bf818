package dev.triage.docker;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Who owns a Docker resource: every container and network the tool creates carries these labels,
 * so a later run can tell a leftover of a dead run from one of a run that is still alive.
 */
public record RunIdentity(String runId, String host, long pid, long startedMillis) {
    public static final String LABEL_TOOL = "dev.triage";
    public static final String LABEL_RUN = "dev.triage.run";
    public static final String LABEL_OWNER = "dev.triage.owner";
    /** A training lab's sandbox: it outlives the command that built it and is restored by the lab itself. */
    public static final String LABEL_LAB = "dev.triage.lab";

    public static RunIdentity current() {
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        return new RunIdentity(HexFormat.of().formatHex(random), hostName(), self.pid(), started);
    }

    /** Names start with "triage-" and the run id, so a user's own "test-redis" can never collide. */
    public String name(String role) {
        return "triage-" + runId + "-" + role;
    }

    public Map<String, String> labels() {
        return Map.of(LABEL_TOOL, "1", LABEL_RUN, runId, LABEL_OWNER, owner());
    }

    public String owner() {
        return host + "/" + pid + "/" + startedMillis;
    }

    /** Whether the run that wrote this owner label is still alive on this machine; false if unknown here. */
    public static Liveness liveness(String owner, String thisHost) {
        if (owner == null) {
            return Liveness.DEAD;
        }
        String[] parts = owner.split("/");
        if (parts.length != 3) {
            return Liveness.DEAD;
        }
        if (!parts[0].equals(thisHost)) {
            return Liveness.OTHER_HOST;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            long started = Long.parseLong(parts[2]);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 2000).orElse(true))
                    .map(p -> Liveness.ALIVE).orElse(Liveness.DEAD);
        } catch (NumberFormatException e) {
            return Liveness.DEAD;
        }
    }

    public enum Liveness { ALIVE, DEAD, OTHER_HOST }

    static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip().replace('/', '_');
        } catch (java.io.IOException e) {
            String name = System.getenv("HOSTNAME");
            return name == null || name.isBlank() ? "localhost" : name.replace('/', '_');
        }
    }
}
