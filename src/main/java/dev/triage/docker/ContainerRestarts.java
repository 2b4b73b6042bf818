package dev.triage.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;

import java.time.Duration;
import java.time.Instant;

/**
 * Container restarts through the run's Docker session (what a fix's restart does). It knows
 * nothing of fixes: the composition root ({@code app.Triage}) hands it to them.
 */
public final class ContainerRestarts {
    private static final int STOP_SECONDS = 20; // below the client's 30 s response limit
    private final DockerSession docker;

    /** A restart that did not happen, or a container that did not come up again; the message says what to do. */
    public static final class RestartFailed extends Exception {
        RestartFailed(String message) {
            super(message);
        }
    }

    public ContainerRestarts(DockerSession docker) {
        this.docker = docker;
    }

    /** Restarts {@code container} and waits until it runs again (and is healthy, if it has a health check). */
    public String restart(String container, Duration limit) throws RestartFailed {
        DockerClient client;
        try {
            client = docker.client();
        } catch (EngineUnreachableException e) {
            throw new RestartFailed("cannot reach Docker to restart " + container + ": " + e.getMessage());
        }
        String startedBefore;
        try {
            startedBefore = client.inspectContainerCmd(container).exec().getState().getStartedAt();
        } catch (NotFoundException e) {
            throw new RestartFailed("no container " + container + " on this engine (docker ps -a)");
        }
        try {
            client.restartContainerCmd(container).withTimeout(STOP_SECONDS).exec();
        } catch (RuntimeException e) {
            throw new RestartFailed("docker restart " + container + " failed: " + e.getMessage());
        }
        Instant deadline = Instant.now().plus(limit);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            InspectContainerResponse.ContainerState state;
            try {
                state = client.inspectContainerCmd(container).exec().getState();
            } catch (RuntimeException e) {
                throw new RestartFailed(container + " was restarted, then could not be inspected: " + e.getMessage());
            }
            boolean restarted = state.getStartedAt() != null && !state.getStartedAt().equals(startedBefore);
            String health = state.getHealth() == null ? null : state.getHealth().getStatus();
            last = state.getStatus() + (health == null ? "" : ", " + health);
            if (restarted && Boolean.TRUE.equals(state.getRunning()) && (health == null || health.equals("healthy"))) {
                return last;
            }
            if (restarted && "unhealthy".equals(health)) {
                throw new RestartFailed(container + " runs again but its health check fails (docker inspect " + container
                        + " -f '{{json .State.Health}}')");
            }
            if (restarted && !Boolean.TRUE.equals(state.getRunning()) && !Boolean.TRUE.equals(state.getRestarting())) {
                throw new RestartFailed(container + " did not stay up after the restart (" + last + "): docker logs " + container);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RestartFailed("interrupted while waiting for " + container + " to come up (" + last + ")");
            }
        }
        throw new RestartFailed(container + " was restarted but is not up after " + limit.toSeconds() + " s (" + last + ")");
    }
}
