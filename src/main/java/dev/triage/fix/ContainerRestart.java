package dev.triage.fix;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Restarts one of the user's containers so that it reads a changed file (docker-mailserver applies
 * postfix-master.cf only at start). Offered as its own confirmed fix, after the file edit, and
 * waits until the container runs (and is healthy) again before verification re-probes it. A
 * restart cannot be taken back: undo the file fix, then restart again.
 */
public record ContainerRestart(String container) implements FixAction {
    static final Duration LIMIT = Duration.ofMinutes(3);

    public ContainerRestart {
        if (!container.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")) {
            throw new IllegalArgumentException("not a container name: " + container);
        }
    }

    @Override
    public String describe() {
        return "Restart container " + container + " and wait until it runs (and is healthy) again";
    }

    @Override
    public List<String> preview() {
        return List.of("$ docker restart " + container + "   (through the Docker API; waits up to "
                + LIMIT.toMinutes() + " minutes for it to be up)");
    }

    @Override
    public List<String> script() {
        return List.of("docker restart " + container);
    }

    @Override
    public boolean needed(FixHost host) {
        return true;
    }

    @Override
    public boolean reversible() {
        return false;
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        return Map.of("state", host.containers().restart(container, LIMIT));
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) {
        // not reversible: the runner reports it instead of calling this
    }
}
