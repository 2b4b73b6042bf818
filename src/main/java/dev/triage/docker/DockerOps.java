package dev.triage.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The few Docker operations probes need, each labelled for cleanup and bounded in time. Every
 * resource is named {@code triage-<run>-<role>} and registered with the session before it exists.
 */
public final class DockerOps {
    private final DockerSession session;
    private final DockerClient client;

    public DockerOps(DockerSession session) throws EngineUnreachableException {
        this.session = session;
        this.client = session.client();
    }

    public DockerClient client() {
        return client;
    }

    /** Creates a bridge network of this run and returns its inspection (id, bridge options, subnet). */
    public Network createNetwork(String role) {
        String name = session.identity().name(role);
        String id = session.creating(() -> client.createNetworkCmd().withName(name).withDriver("bridge")
                .withLabels(session.labels()).withCheckDuplicate(true).exec().getId());
        return client.inspectNetworkCmd().withNetworkId(id).exec();
    }

    public Network inspectNetwork(String nameOrId) {
        return client.inspectNetworkCmd().withNetworkId(nameOrId).exec();
    }

    /**
     * Creates and starts a container of this run on a network. {@code entrypoint} may be null to keep
     * the image's. The session's cleanup removes it (by label), not Docker's auto-remove, which
     * would race with a cleanup on Ctrl-C.
     */
    public String startContainer(String role, String image, String network, List<String> entrypoint, List<String> cmd) {
        return session.creating(() -> create(role, image, network, entrypoint, cmd));
    }

    private String create(String role, String image, String network, List<String> entrypoint, List<String> cmd) {
        CreateContainerCmd create = client.createContainerCmd(image)
                .withName(session.identity().name(role))
                .withLabels(session.labels())
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode(network).withInit(false))
                .withCmd(cmd);
        if (entrypoint != null) {
            create.withEntrypoint(entrypoint);
        }
        String id = create.exec().getId();
        client.startContainerCmd(id).exec();
        return id;
    }

    public InspectContainerResponse inspect(String id) {
        return client.inspectContainerCmd(id).exec();
    }

    /** The container's address on one network, or null. */
    public String ipOn(String containerId, String network) {
        Map<String, ContainerNetwork> networks = inspect(containerId).getNetworkSettings().getNetworks();
        if (networks == null) {
            return null;
        }
        ContainerNetwork net = networks.get(network);
        return net == null || net.getIpAddress() == null || net.getIpAddress().isEmpty() ? null : net.getIpAddress();
    }

    /**
     * Runs a command in a container and waits at most {@code limit}. The command runs under the
     * image's own {@code timeout} so that it ends by itself: Docker takes seconds to remove a
     * container while an exec in it still runs. The Java-side wait is the backstop.
     */
    public ExecResult exec(String containerId, Duration limit, List<String> command) throws InterruptedException {
        long seconds = Math.max(1, (limit.toMillis() + 999) / 1000);
        List<String> bounded = new java.util.ArrayList<>(List.of("timeout", "-s", "KILL", String.valueOf(seconds)));
        bounded.addAll(command);
        ExecResult r = execRaw(containerId, limit.plusMillis(700), bounded, command);
        if (!r.timedOut() && r.output().contains("\"timeout\": executable file not found")) {
            return execRaw(containerId, limit, command, command); // an image without timeout(1)
        }
        boolean killed = r.exitCode() != null && (r.exitCode() == 124 || r.exitCode() == 137 || r.exitCode() == 143)
                && r.millis() >= limit.toMillis() - 300;
        return killed ? new ExecResult(command, null, r.output(), true, r.millis()) : r;
    }

    private ExecResult execRaw(String containerId, Duration limit, List<String> argv, List<String> command)
            throws InterruptedException {
        long start = System.nanoTime();
        String execId = client.execCreateCmd(containerId).withCmd(argv.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder output = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (output) {
                    if (output.length() < 64 * 1024) {
                        output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }
        };
        client.execStartCmd(execId).exec(callback);
        boolean finished;
        try {
            finished = callback.awaitCompletion(Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
        } finally {
            try {
                callback.close();
            } catch (java.io.IOException ignored) {
                // the stream is gone either way
            }
        }
        Long exit = null;
        if (finished) {
            exit = client.inspectExecCmd(execId).exec().getExitCodeLong();
        }
        String text;
        synchronized (output) {
            text = output.toString();
        }
        return new ExecResult(command, exit, text, !finished, (System.nanoTime() - start) / 1_000_000);
    }

    public boolean imagePresent(String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
