package dev.triage.probe;

import dev.triage.docker.DockerOps;
import dev.triage.docker.DockerSession;

import java.util.List;

/** A client container in the host's network namespace (--network host), built once per run. */
public record HostClientKit(String clientId, String clientName) {

    public static HostClientKit build(DockerSession session, String image) throws Exception {
        return session.fixture("host-client|" + image, () -> {
            DockerOps ops = new DockerOps(session);
            if (!ops.imagePresent(image)) {
                throw new BridgeKit.SetupException("image-missing", "image " + image + " is not on this engine (docker pull "
                        + image + ", or --set image=AN_IMAGE_YOU_HAVE with busybox nc)", null);
            }
            String id = ops.startContainer("hostcli", image, "host", List.of("sleep"), List.of("600"));
            return new HostClientKit(id, session.identity().name("hostcli"));
        });
    }
}
