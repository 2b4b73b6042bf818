package dev.triage.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.IOException;

/** A connected engine: the docker-java client (API version pinned), its transport and what it reported. */
public record EngineConnection(EngineEndpoint endpoint, DockerClient client, DockerHttpClient http, EngineInfo info)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException ignored) {
            // closing at exit: nothing left to do with a failure
        }
    }
}
