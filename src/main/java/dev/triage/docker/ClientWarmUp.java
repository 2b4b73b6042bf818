package dev.triage.docker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.CreateNetworkResponse;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import org.tinylog.Logger;

import java.util.List;
import java.util.Map;

/**
 * Builds docker-java's JSON (de)serializers for the calls a diagnosis makes first, on the second
 * core while the command line and the scenario are read: built on first use, they cost more than
 * the engine's own work on the first network and container create (start-up time). Nothing is
 * sent to the engine.
 */
final class ClientWarmUp {
    private ClientWarmUp() { }

    static void run(DockerClient client, ObjectMapper mapper) {
        try {
            mapper.writeValueAsBytes(client.createNetworkCmd().withName("warm-up").withDriver("bridge")
                    .withLabels(Map.of("warm-up", "1")).withCheckDuplicate(true));
            mapper.writeValueAsBytes(client.createContainerCmd("warm-up").withName("warm-up").withLabels(Map.of("warm-up", "1"))
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("warm-up").withInit(false))
                    .withCmd(List.of("warm-up")).withEntrypoint(List.of("warm-up")));
            mapper.writeValueAsBytes(client.execCreateCmd("warm-up").withCmd("warm-up").withAttachStdout(true).withAttachStderr(true));
            for (Class<?> type : List.of(CreateNetworkResponse.class, Network.class, CreateContainerResponse.class,
                    InspectContainerResponse.class, ExecCreateCmdResponse.class, InspectExecResponse.class)) {
                mapper.readValue("{}", type);
            }
            mapper.readValue("[]", new TypeReference<List<Container>>() { });
            mapper.readValue("[]", new TypeReference<List<Network>>() { });
        } catch (Exception | LinkageError e) {
            Logger.debug(e, "docker-java warm-up"); // only time is at stake: the real calls build what is missing
        }
    }
}
