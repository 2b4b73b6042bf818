package dev.triage.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import org.tinylog.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The Docker side of one run: connects lazily (a scenario that needs no engine never touches it),
 * hands out shared fixtures (a probe network with its server and client is built once and reused
 * by every test that needs it), and removes everything the run created when closed, including
 * from a shutdown hook on Ctrl-C, SIGHUP or SIGTERM.
 */
public final class DockerSession implements AutoCloseable {
    private final EngineConnector connector;
    private final RunIdentity identity;
    private final Object connectLock = new Object();
    private volatile EngineConnection connection;
    private volatile EngineUnreachableException unreachable;
    private final Map<String, CompletableFuture<Object>> fixtures = new ConcurrentHashMap<>();
    private final DockerSession parent;
    private volatile boolean closed;
    private int generations;
    /** Creations under way; close() waits for them so that none finishes after the cleanup listed resources. */
    private int inFlight;
    /** A creation ended in an error: the daemon may still have finished it after we gave up. */
    private volatile boolean creationFailed;

    public DockerSession(EngineConnector connector, RunIdentity identity) {
        this(connector, identity, null);
    }

    private DockerSession(EngineConnector connector, RunIdentity identity, DockerSession parent) {
        this.connector = connector;
        this.identity = identity;
        this.parent = parent;
    }

    /**
     * A session sharing this one's engine connection and cleanup but none of its fixtures: used to
     * verify a fix on fresh probe resources, as the next diagnosis would.
     */
    public DockerSession fresh() {
        DockerSession root = parent == null ? this : parent;
        synchronized (root) {
            root.generations++;
            return new DockerSession(connector, new RunIdentity(identity.runId() + "v" + root.generations, identity.host(),
                    identity.pid(), identity.startedMillis()), root);
        }
    }

    public RunIdentity identity() {
        return identity;
    }

    /** The connected engine; throws the same classified failure on every call once it failed. */
    public EngineConnection connection() throws EngineUnreachableException {
        if (parent != null) {
            return parent.connection();
        }
        synchronized (connectLock) {
            if (connection == null && unreachable == null) {
                try {
                    connection = connector.connect();
                } catch (EngineUnreachableException e) {
                    unreachable = e;
                }
            }
            if (unreachable != null) {
                throw unreachable;
            }
            return connection;
        }
    }

    /** Starts connecting now, so the engine is ready when the first test needs it (start-up time). */
    public void connectInBackground() {
        if (isClosed()) {
            return; // closed before it was needed
        }
        dev.triage.concurrent.Workers.io().submit(() -> {
            try {
                connection();
            } catch (EngineUnreachableException e) {
                // kept: the engine test reports it
            }
        });
    }

    public DockerClient client() throws EngineUnreachableException {
        return connection().client();
    }

    public EngineInfo info() throws EngineUnreachableException {
        return connection().info();
    }

    public boolean isClosed() {
        return closed || (parent != null && parent.closed);
    }

    /** Runs a Docker creation so that cleanup either sees its result or the creation never starts. */
    public <T> T creating(java.util.function.Supplier<T> create) {
        DockerSession root = parent == null ? this : parent;
        synchronized (root) {
            if (root.closed) {
                throw new IllegalStateException("run is shutting down");
            }
            root.inFlight++;
        }
        try {
            return create.get();
        } catch (RuntimeException e) {
            root.creationFailed = true;
            throw e;
        } finally {
            synchronized (root) {
                root.inFlight--;
                root.notifyAll();
            }
        }
    }

    /**
     * Builds a fixture once per session and key; concurrent callers wait for the same build. A
     * failed build is kept, so every test that needs it reports the same cause.
     */
    @SuppressWarnings("unchecked")
    public <T> T fixture(String key, Callable<T> build) throws Exception {
        CompletableFuture<Object> created = new CompletableFuture<>();
        CompletableFuture<Object> existing = fixtures.putIfAbsent(key, created);
        if (existing == null) {
            try {
                created.complete(build.call());
            } catch (Exception | Error e) {
                created.completeExceptionally(e);
            }
            existing = created;
        }
        try {
            return (T) existing.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Labels for a resource of this run. */
    public Map<String, String> labels() {
        return identity.labels();
    }

    /**
     * Removes every container and network labelled with this run's id (and of its fresh sessions),
     * by label rather than by a list, so a creation that was in flight when Ctrl-C came is caught too.
     */
    @Override
    public void close() {
        if (parent != null) {
            return; // the root session cleans for all generations
        }
        synchronized (this) {
            closed = true;
            long until = System.currentTimeMillis() + 15_000;
            while (inFlight > 0 && System.currentTimeMillis() < until) {
                try {
                    wait(Math.max(1, until - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        EngineConnection c = connection;
        if (c == null) {
            return;
        }
        removeRun(c.client(), identity.runId(), identity.owner());
        if (creationFailed) {
            // a request whose caller gave up may still complete on the daemon: look once more
            sleep(Duration.ofMillis(300));
            removeRun(c.client(), identity.runId(), identity.owner());
        }
        c.close();
    }

    /**
     * Removes the resources of one run id prefix (this run and its fresh sessions) that carry this
     * process's owner label: containers first (force), then networks.
     */
    static int removeRun(DockerClient client, String runIdPrefix, String owner) {
        int removed = 0;
        try {
            List<Container> containers = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(RunIdentity.LABEL_TOOL)).exec();
            // containers go in parallel: each removal waits for a kill and an unmount
            List<java.util.concurrent.Future<Integer>> removals = new ArrayList<>();
            for (Container container : containers) {
                String run = container.getLabels() == null ? null : container.getLabels().get(RunIdentity.LABEL_RUN);
                if (run != null && run.startsWith(runIdPrefix) && owner.equals(container.getLabels().get(RunIdentity.LABEL_OWNER))) {
                    removals.add(dev.triage.concurrent.Workers.io().submit(() -> removeContainer(client, container.getId())));
                }
            }
            for (var f : removals) {
                try {
                    removed += f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    Logger.warn("container removal: {}", e.getMessage());
                }
            }
            List<Network> networks = client.listNetworksCmd().withFilter("label", List.of(RunIdentity.LABEL_TOOL)).exec();
            for (Network network : networks) {
                String run = network.getLabels() == null ? null : network.getLabels().get(RunIdentity.LABEL_RUN);
                if (run != null && run.startsWith(runIdPrefix) && owner.equals(network.getLabels().get(RunIdentity.LABEL_OWNER))) {
                    removed += removeNetwork(client, network.getId());
                }
            }
        } catch (RuntimeException e) {
            Logger.warn("cleanup of run {} incomplete: {}", runIdPrefix, e.getMessage());
        }
        return removed;
    }

    static int removeContainer(DockerClient client, String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            Logger.info("removed container {}", id);
            return 1;
        } catch (NotFoundException e) {
            return 0;
        } catch (RuntimeException e) {
            Logger.warn("cannot remove container {}: {}", id, e.getMessage());
            return 0;
        }
    }

    static int removeNetwork(DockerClient client, String id) {
        // a network is busy for a moment after its last container went away
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                client.removeNetworkCmd(id).exec();
                Logger.info("removed network {}", id);
                return 1;
            } catch (NotFoundException e) {
                return 0;
            } catch (RuntimeException e) {
                Logger.info("network {} busy: {}", id, e.getMessage());
                sleep(Duration.ofMillis(100L * (attempt + 1)));
            }
        }
        return 0;
    }

    /**
     * Removes leftovers of runs on this machine whose process is gone (killed with SIGKILL, power
     * loss), never those of a run that is still alive or that belongs to another machine, and never
     * anything whose owner label is missing or malformed or whose name is not triage's: a label key
     * alone proves nothing. Never a training lab's sandbox either (it outlives its command; the lab's
     * own state restores it). Only containers that pass go, with their anonymous volumes (made for
     * them by the engine from the probe image, so also triage's).
     */
    public List<String> sweepLeftovers() {
        List<String> swept = new ArrayList<>();
        EngineConnection c;
        try {
            c = connection();
        } catch (EngineUnreachableException e) {
            return swept;
        }
        DockerClient client = c.client();
        try {
            for (Container container : client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(RunIdentity.LABEL_TOOL)).exec()) {
                Map<String, String> labels = container.getLabels();
                String name = container.getNames() == null || container.getNames().length == 0 ? "" : container.getNames()[0];
                if (!identity.runId().equals(labels == null ? null : labels.get(RunIdentity.LABEL_RUN))
                        && (labels == null || !labels.containsKey(RunIdentity.LABEL_LAB))
                        && RunIdentity.leftoverOfDeadRun(labels, name, identity.host())) {
                    if (removeContainer(client, container.getId()) > 0) {
                        swept.add("container " + String.join(",", container.getNames()));
                    }
                }
            }
            for (Network network : client.listNetworksCmd().withFilter("label", List.of(RunIdentity.LABEL_TOOL)).exec()) {
                Map<String, String> labels = network.getLabels();
                if (!identity.runId().equals(labels == null ? null : labels.get(RunIdentity.LABEL_RUN))
                        && (labels == null || !labels.containsKey(RunIdentity.LABEL_LAB))
                        && RunIdentity.leftoverOfDeadRun(labels, network.getName(), identity.host())) {
                    if (removeNetwork(client, network.getId()) > 0) {
                        swept.add("network " + network.getName());
                    }
                }
            }
        } catch (RuntimeException e) {
            Logger.warn("sweep incomplete: {}", e.getMessage());
        }
        return swept;
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
