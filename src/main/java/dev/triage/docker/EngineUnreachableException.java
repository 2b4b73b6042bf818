package dev.triage.docker;

import java.util.List;

/** Every way of reaching the engine failed; {@link #primary()} is the one to tell the admin about. */
public final class EngineUnreachableException extends Exception {
    public record Attempt(String endpoint, String address, EngineFailure failure, String error, String hint) { }

    private final List<Attempt> attempts;

    public EngineUnreachableException(List<Attempt> attempts) {
        super(attempts.isEmpty() ? "no way to reach a Docker engine" : attempts.get(0).error());
        this.attempts = List.copyOf(attempts);
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    /** The first attempt: the explicit DOCKER_HOST or the system socket, which is what the admin expects to work. */
    public Attempt primary() {
        return attempts.get(0);
    }
}
