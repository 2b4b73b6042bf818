package dev.triage.it;

/** Every test of {@link CleanupIT}, against the test bed's Docker 28 (.ci/docker28.sh). */
class CleanupDocker28IT extends CleanupIT {
    @Override
    Engine engine() {
        return docker28OrSkip();
    }
}
