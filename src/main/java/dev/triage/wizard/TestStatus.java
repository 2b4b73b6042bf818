package dev.triage.wizard;

/** How one test of a diagnosis went, as both faces mark it. */
public enum TestStatus {
    /** Not run yet (the walk has not reached it). */
    PENDING,
    RUNNING,
    /** On the path, and not evidence of a problem. */
    PASSED,
    /** Evidence of a warning-level verdict. */
    WARNING,
    /** Evidence of a critical verdict. */
    FAILED,
    /** Could not run (time limit, missing image, unreachable engine). */
    INCONCLUSIVE,
    /** In the tree, but the walk never reached it. */
    SKIPPED
}
