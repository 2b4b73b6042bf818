package dev.triage.probe;

import dev.triage.docker.DockerSession;
import dev.triage.host.HostSystem;

import java.time.Duration;
import java.time.Instant;

/**
 * What a probe may use: the Docker session of the run (shared, lazily connected), the host, and
 * its deadline. One context per test invocation; the session is shared by the whole run.
 */
public record ProbeContext(DockerSession docker, HostSystem host, Instant deadline) {

    /** Time left before the deadline, never negative. */
    public Duration remaining() {
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Time left minus {@code margin}; when less than {@code minimum} is left the step cannot give a
     * meaningful answer, so it fails (the test becomes inconclusive) instead of guessing.
     */
    public Duration atLeast(Duration minimum, Duration margin, String what) {
        Duration d = remaining().minus(margin);
        if (d.compareTo(minimum) < 0) {
            throw new IllegalStateException("not enough time left for " + what + " (" + Math.max(0, d.toMillis())
                    + " ms; raise --timeout)");
        }
        return d;
    }

    /** Time left minus a margin kept for cleanup and reporting, at least 100 ms. */
    public Duration remaining(Duration margin) {
        Duration d = remaining().minus(margin);
        return d.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : d;
    }
}
