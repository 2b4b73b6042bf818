package dev.triage.docker;

import org.junit.jupiter.api.Test;

import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.*;

class EngineFailureTest {

    @Test
    void missingSocketInsideABareRuntimeException() {
        assertEquals(EngineFailure.SOCKET_MISSING,
                EngineFailure.classify(new RuntimeException(new SocketException("No such file or directory"))));
    }

    @Test
    void permissionDenied() {
        assertEquals(EngineFailure.PERMISSION_DENIED, EngineFailure.classify(new RuntimeException(
                new SocketException("Permission denied"))));
    }

    @Test
    void connectionRefused() {
        assertEquals(EngineFailure.CONNECTION_REFUSED, EngineFailure.classify(new java.net.ConnectException("Connection refused")));
    }

    @Test
    void apiVersionTooNew() {
        assertEquals(EngineFailure.API_VERSION_REFUSED, EngineFailure.classify(new RuntimeException(
                "Status 400: client version 1.99 is too new. Maximum supported API version is 1.41")));
    }

    @Test
    void illegalArgumentIsAnInvalidDockerHost() {
        assertEquals(EngineFailure.DOCKER_HOST_INVALID, EngineFailure.classify(new IllegalArgumentException("bad uri")));
    }

    @Test
    void anythingElseIsNoAnswer() {
        assertEquals(EngineFailure.NO_ANSWER, EngineFailure.classify(new java.net.SocketTimeoutException("Read timed out")));
    }

    @Test
    void outcomesAreTheScenarioNames() {
        assertEquals("socket-missing", EngineFailure.SOCKET_MISSING.outcome());
        assertEquals("api-version-refused", EngineFailure.API_VERSION_REFUSED.outcome());
    }

    /** Docker 28.5.2 started with DOCKER_MIN_API_VERSION=1.44, asked at /v1.43 (captured in the test bed). */
    @Test
    void docker28RefusingAnOlderClientWithItsRaisedMinimum() throws Exception {
        String body;
        try (var in = EngineFailureTest.class.getResourceAsStream("/docker28/version-api-1.43-min-1.44.response.json")) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(body.contains("client version 1.43 is too old. Minimum supported API version is 1.44"), body);
        assertEquals(EngineFailure.API_VERSION_REFUSED, EngineFailure.classify(new RuntimeException("Status 400: " + body)));
    }
}
