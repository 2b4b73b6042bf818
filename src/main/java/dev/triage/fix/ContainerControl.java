package dev.triage.fix;

import java.time.Duration;

/** The container operations a fix may take, through the run's Docker engine (never a shell). */
public interface ContainerControl {

    /** Restarts {@code container} and waits until it runs again (and is healthy, if it has a health check). */
    String restart(String container, Duration limit) throws FixException;

    /** For runs without an engine: says so instead of restarting. */
    ContainerControl NONE = (container, limit) -> {
        throw new FixException("no Docker engine in this run to restart " + container + "; run: docker restart " + container);
    };
}
