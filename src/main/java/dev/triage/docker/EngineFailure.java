package dev.triage.docker;

import java.util.Locale;

/** Why the Docker engine could not be used, in the categories an admin acts on differently. */
public enum EngineFailure {
    SOCKET_MISSING("socket-missing"),
    PERMISSION_DENIED("permission-denied"),
    CONNECTION_REFUSED("connection-refused"),
    DOCKER_HOST_INVALID("docker-host-invalid"),
    API_VERSION_REFUSED("api-version-refused"),
    /** Something answered, but not like a Docker engine (a 404 on /version, not JSON). */
    NOT_DOCKER("not-docker"),
    NO_ANSWER("no-answer");

    private final String outcome;

    EngineFailure(String outcome) {
        this.outcome = outcome;
    }

    /** The probe outcome this failure maps to in scenario files. */
    public String outcome() {
        return outcome;
    }

    /**
     * Reads the cause chain. docker-java reports a missing socket as a bare RuntimeException around
     * a SocketException (or JNA's LastErrorException with errno), so the messages are all there is.
     */
    public static EngineFailure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("client version") && (m.contains("too old") || m.contains("too new"))
                    || m.contains("minimum supported api version") || m.contains("maximum supported api version")) {
                return API_VERSION_REFUSED;
            }
            if (m.contains("permission denied") || m.contains("[13]") || m.contains("errno 13")) {
                return PERMISSION_DENIED;
            }
            if (m.contains("no such file") || m.contains("[2]") || m.contains("errno 2")) {
                return SOCKET_MISSING;
            }
            if (m.contains("connection refused") || m.contains("[111]")) {
                return CONNECTION_REFUSED;
            }
            if (t instanceof IllegalArgumentException || m.contains("unsupported protocol scheme")
                    || m.contains("invalid docker host") || m.contains("unknown host") || m.contains("illegal character")) {
                return DOCKER_HOST_INVALID;
            }
        }
        return NO_ANSWER;
    }
}
