package dev.triage.engine;

/** The process exit codes, and the one mapping from a diagnosis to its code, for every face. */
public final class ExitCodes {
    public static final int HEALTHY = 0;
    public static final int PROBLEM = 1;
    public static final int INCONCLUSIVE = 2;
    /** fix: the change was applied and kept, but triage has no test to verify it (not the same as declined). */
    public static final int APPLIED_UNVERIFIED = 3;
    public static final int USAGE = 64;
    /** The wizard was left before a diagnosis, or Ctrl-C. */
    public static final int LEFT = 130;

    private ExitCodes() { }

    public static int of(Diagnosis d) {
        return switch (d.status()) {
            case HEALTHY -> HEALTHY;
            case PROBLEM -> PROBLEM;
            case INCONCLUSIVE -> INCONCLUSIVE;
        };
    }
}
