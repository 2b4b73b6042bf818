package dev.triage.docker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One way of reaching a Docker engine, in the manner of Testcontainers' provider strategies: each
 * says when it applies, what it is, and what an admin should do when it fails.
 */
public interface EngineEndpoint {

    String API_HINT = "The engine refuses the API version triage asked for. If DOCKER_API_VERSION is set, unset it: triage"
            + " then uses the engine's own version. A version that is too old for the engine means raising it (Docker 29"
            + " requires 1.44 or later unless its minimum was lowered); too new means an older engine: upgrade it.";

    /** Short name for evidence, e.g. "DOCKER_HOST" or "unix socket". */
    String name();

    /** The address as the admin would write it in DOCKER_HOST. */
    String address();

    /** Whether this way is worth trying on this machine (a socket file exists, a variable is set). */
    boolean isApplicable();

    /** An explicit choice (DOCKER_HOST) forbids silently falling back to another engine. */
    default boolean exclusive() { return false; }

    /** Engine on this machine: the host's firewall and /proc describe the engine's network. */
    default boolean local() {
        String a = address();
        return a.startsWith("unix://") || a.matches("(tcp|http|https)://(127\\.\\d+\\.\\d+\\.\\d+|localhost|\\[::1])(:\\d+)?/?");
    }

    String fixHint(EngineFailure failure);

    /** The ways to try, in order, for this environment. */
    static List<EngineEndpoint> candidates(Map<String, String> env) {
        List<EngineEndpoint> all = new ArrayList<>();
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            all.add(new DockerHostVariable(dockerHost.trim()));
            return all;
        }
        all.add(new UnixSocket(Path.of("/var/run/docker.sock"), "system socket"));
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            all.add(new UnixSocket(Path.of(runtime, "docker.sock"), "rootless socket"));
        }
        return all;
    }

    /** DOCKER_HOST, as set by the admin: the only endpoint tried when present. */
    record DockerHostVariable(String value) implements EngineEndpoint {
        public String name() { return "DOCKER_HOST"; }
        public String address() { return value; }
        public boolean exclusive() { return true; }

        public boolean isApplicable() {
            return true;
        }

        public String fixHint(EngineFailure failure) {
            return switch (failure) {
                case SOCKET_MISSING -> "DOCKER_HOST=" + value + " names a socket that does not exist. Unset DOCKER_HOST"
                        + " to use /var/run/docker.sock, or start the engine it points to.";
                case PERMISSION_DENIED -> "You may not open " + value + ". Add yourself to the docker group"
                        + " (sudo usermod -aG docker $USER, then log in again) or run triage with sudo.";
                case CONNECTION_REFUSED -> "Nothing listens at DOCKER_HOST=" + value + ". Check the address, or unset"
                        + " DOCKER_HOST to use the local engine.";
                case DOCKER_HOST_INVALID -> value.startsWith("ssh://")
                        ? "DOCKER_HOST=" + value + ": triage does not tunnel over ssh. Run triage on the Docker host itself"
                        + " (its firewall and kernel are what it checks)."
                        : "DOCKER_HOST=" + value + " is not a valid engine address; it should look like"
                        + " unix:///var/run/docker.sock or tcp://HOST:2376.";
                case API_VERSION_REFUSED -> API_HINT;
                case NOT_DOCKER -> "Something answers at DOCKER_HOST=" + value + ", but it is not a Docker engine API."
                        + " Check the address and port.";
                case NO_ANSWER -> "The engine at " + value + " accepted the connection but did not answer in time;"
                        + " check 'docker info' and the daemon's log.";
            };
        }
    }

    /** A unix socket file: the system engine or a rootless one. */
    record UnixSocket(Path path, String label) implements EngineEndpoint {
        public String name() { return label; }
        public String address() { return "unix://" + path; }

        public boolean isApplicable() {
            return Files.exists(path) || label.equals("system socket");
        }

        public String fixHint(EngineFailure failure) {
            return switch (failure) {
                case SOCKET_MISSING -> path + " does not exist: the Docker engine is not running or not installed."
                        + " Start it (sudo systemctl start docker, or /etc/init.d/dockerd start on OpenWrt)"
                        + " or set DOCKER_HOST if it listens elsewhere.";
                case PERMISSION_DENIED -> "Permission denied on " + path + ": add your user to the docker group"
                        + " (sudo usermod -aG docker $USER, then log out and in) or run triage with sudo.";
                case CONNECTION_REFUSED -> path + " exists but nothing accepts connections: the daemon died and left"
                        + " its socket. Restart it (sudo systemctl restart docker) and check its log.";
                case DOCKER_HOST_INVALID -> "The socket address " + path + " is not usable.";
                case API_VERSION_REFUSED -> API_HINT;
                case NOT_DOCKER -> path + " answers, but not like a Docker engine; check what owns that socket.";
                case NO_ANSWER -> "The engine at " + path + " did not answer in time; check 'docker info' and"
                        + " 'journalctl -u docker'.";
            };
        }
    }
}
