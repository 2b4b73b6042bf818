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

    /** host/pid/start-millis, as {@link #owner()} writes it; anything else was not written by triage. */
    private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("([^/\\s]{1,255})/([1-9][0-9]{0,9})/([0-9]{1,15})");

    /**
     * Whether the run that wrote this owner label is still alive on this machine. A missing or
     * malformed owner is {@link Liveness#MALFORMED}: not written by triage, so never swept.
     */
    public static Liveness liveness(String owner, String thisHost) {
        java.util.regex.Matcher m = owner == null ? null : OWNER.matcher(owner);
        if (m == null || !m.matches()) {
            return Liveness.MALFORMED;
        }
        if (!m.group(1).equals(thisHost)) {
            return Liveness.OTHER_HOST;
        }
        long pid = Long.parseLong(m.group(2));
        long started = Long.parseLong(m.group(3));
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 2000).orElse(true))
                .map(p -> Liveness.ALIVE).orElse(Liveness.DEAD);
    }

    /**
     * Whether a container or network with these labels and this name is a leftover of a dead run of
     * triage on this host: a well-formed owner whose process is gone, a run id, and the name triage
     * gives ({@code triage-RUN-...}). Anything else is someone else's, whatever its labels say.
     */
    public static boolean leftoverOfDeadRun(Map<String, String> labels, String name, String thisHost) {
        if (labels == null || !"1".equals(labels.get(LABEL_TOOL))) {
            return false;
        }
        String run = labels.get(LABEL_RUN);
        String bare = name == null ? "" : name.startsWith("/") ? name.substring(1) : name;
        return run != null && run.matches("[A-Za-z0-9]{1,64}") && bare.startsWith("triage-" + run + "-")
                && liveness(labels.get(LABEL_OWNER), thisHost) == Liveness.DEAD;
    }

    public enum Liveness { ALIVE, DEAD, OTHER_HOST, MALFORMED }

    static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip().replace('/', '_');
        } catch (java.io.IOException e) {
            String name = System.getenv("HOSTNAME");
            return name == null || name.isBlank() ? "localhost" : name.replace('/', '_');
        }
    }
}
