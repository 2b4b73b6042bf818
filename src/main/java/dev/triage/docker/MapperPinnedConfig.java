package dev.triage.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.AuthConfigurations;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.core.SSLConfig;

import java.net.URI;

/**
 * A client configuration whose JSON mapper is a given one: docker-java copies its default mapper
 * for each client, so serializers built by {@link ClientWarmUp} would otherwise be lost.
 */
record MapperPinnedConfig(DockerClientConfig config, ObjectMapper mapper) implements DockerClientConfig {
    @Override public URI getDockerHost() { return config.getDockerHost(); }
    @Override public RemoteApiVersion getApiVersion() { return config.getApiVersion(); }
    @Override public String getRegistryUsername() { return config.getRegistryUsername(); }
    @Override public String getRegistryPassword() { return config.getRegistryPassword(); }
    @Override public String getRegistryEmail() { return config.getRegistryEmail(); }
    @Override public String getRegistryUrl() { return config.getRegistryUrl(); }
    @Override public AuthConfig effectiveAuthConfig(String imageName) { return config.effectiveAuthConfig(imageName); }
    @Override public AuthConfigurations getAuthConfigurations() { return config.getAuthConfigurations(); }
    @Override public SSLConfig getSSLConfig() { return config.getSSLConfig(); }
    @Override public ObjectMapper getObjectMapper() { return mapper; }
}
