package dev.triage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.tinylog.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tries the applicable {@link EngineEndpoint}s in order and returns the first engine that answers,
 * with the API version pinned: docker-java 3.7 does not negotiate, so we ask the engine
 * (unversioned {@code /version}) and pin what it says, unless DOCKER_API_VERSION is set.
 */
public final class EngineConnector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;
    private final Duration answerLimit;

    public EngineConnector(Map<String, String> env, Duration answerLimit) {
        this.env = env;
        this.answerLimit = answerLimit;
    }

    /** A connection started before the command line was parsed; the first connect() with the same settings takes it. */
    private record HeadStart(Map<String, String> env, Duration answerLimit, Future<EngineConnection> result) { }

    private static final java.util.concurrent.atomic.AtomicReference<HeadStart> HEAD_START =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Starts connecting now, in the background, for a command that reaches the engine first thing:
     * the JVM's second core loads the HTTP client and asks /version and /info while the command line
     * is parsed and the scenario read (start-up time). Read-only: it creates nothing on the engine.
     */
    public static void startEarly(Map<String, String> env, Duration answerLimit) {
        EngineConnector early = new EngineConnector(env, answerLimit);
        discard(HEAD_START.getAndSet(new HeadStart(env, answerLimit, dev.triage.concurrent.Workers.io().submit(early::connectNow))));
    }

    /** Drops a head start nobody took (the command did not need the engine after all), closing its client. */
    public static void discardEarly() {
        discard(HEAD_START.getAndSet(null));
    }

    private static void discard(HeadStart h) {
        if (h != null) {
            dev.triage.concurrent.Workers.io().submit(() -> {
                try {
                    h.result().get().close();
                } catch (Exception e) {
                    // it failed: nothing to close
                }
            });
        }
    }

    public EngineConnection connect() throws EngineUnreachableException {
        HeadStart h = HEAD_START.getAndSet(null);
        if (h != null && h.env().equals(env) && h.answerLimit().equals(answerLimit)) {
            try {
                return h.result().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof EngineUnreachableException u) {
                    throw u;
                }
                Logger.warn(e.getCause(), "early engine connection failed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                discard(h);
            }
        } else {
            discard(h);
        }
        return connectNow();
    }

    private EngineConnection connectNow() throws EngineUnreachableException {
        List<EngineUnreachableException.Attempt> attempts = new ArrayList<>();
        for (EngineEndpoint endpoint : EngineEndpoint.candidates(env)) {
            if (!endpoint.isApplicable()) {
                continue;
            }
            try {
                return connect(endpoint);
            } catch (Exception e) {
                EngineFailure failure = e instanceof FailureException f ? f.failure : EngineFailure.classify(e);
                String error = e instanceof FailureException ? e.getMessage() : describe(e);
                Logger.info(e, "engine {} at {}: {} ({})", endpoint.name(), endpoint.address(), failure, error); // the class names, for the log
                attempts.add(new EngineUnreachableException.Attempt(endpoint.name(), endpoint.address(), failure, error,
                        endpoint.fixHint(failure)));
                if (endpoint.exclusive()) {
                    break;
                }
            }
        }
        throw new EngineUnreachableException(attempts);
    }

    private EngineConnection connect(EngineEndpoint endpoint) throws Exception {
        String address = endpoint.address();
        if (address.startsWith("unix://")) {
            Path socket = Path.of(address.substring("unix://".length()));
            if (!Files.exists(socket)) {
                throw new FailureException(EngineFailure.SOCKET_MISSING, socket + ": no such file");
            }
        } else if (address.startsWith("ssh://")) {
            throw new FailureException(EngineFailure.DOCKER_HOST_INVALID, "'" + address + "': ssh:// engines are not supported");
        } else if (!address.matches("(tcp|http|https)://[^/\\s]+(:\\d+)?/?")) {
            throw new FailureException(EngineFailure.DOCKER_HOST_INVALID, "'" + address + "' is not unix://PATH or tcp://HOST:PORT");
        }
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(address.startsWith("http") ? address.replaceFirst("^https?", "tcp") : address);
        DockerClientConfig probeConfig = builder.build();
        DockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(probeConfig.getDockerHost())
                .sslConfig(probeConfig.getSSLConfig() != null ? probeConfig.getSSLConfig() : NoTls::context)
                .connectionTimeout(answerLimit)
                .responseTimeout(Duration.ofSeconds(30))
                .maxConnections(64)
                .build();
        try {
            String pinned = env.get("DOCKER_API_VERSION");
            if (pinned != null && !pinned.isBlank() && !pinned.strip().matches("1\\.\\d{1,3}")) {
                throw new FailureException(EngineFailure.API_VERSION_REFUSED,
                        "DOCKER_API_VERSION='" + pinned + "' is not an API version such as 1.41");
            }
            String prefix = pinned == null || pinned.isBlank() ? "" : "/v" + pinned.trim();
            // /info and docker-java's own start-up (class loading) run alongside /version: start-up time
            var infoCall = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return getJson(http, prefix + "/info");
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, dev.triage.concurrent.Workers.io());
            // docker-java's classes and JSON (de)serializers are built on the other core meanwhile, in the
            // mapper the client below uses
            ObjectMapper mapper = DockerClientConfig.getDefaultObjectMapper();
            dev.triage.concurrent.Workers.io().submit(() -> ClientWarmUp.run(DockerClientImpl.getInstance(new MapperPinnedConfig(probeConfig, mapper), http), mapper));
            JsonNode version = getJson(http, prefix + "/version");
            String apiVersion = pinned == null || pinned.isBlank() ? text(version, "ApiVersion") : pinned.trim();
            JsonNode info;
            try {
                info = infoCall.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            boolean rootless = false;
            for (JsonNode opt : info.path("SecurityOptions")) {
                rootless |= opt.asText().contains("name=rootless");
            }
            EngineInfo engineInfo = new EngineInfo(address, endpoint.local(), text(version, "Version"),
                    apiVersion, text(version, "MinAPIVersion"), text(version, "Os"), text(version, "Arch"),
                    text(version, "KernelVersion"), text(info, "FirewallBackend") == null
                            ? null : info.path("FirewallBackend").path("Driver").asText(text(info, "FirewallBackend")),
                    bool(info, "IPv4Forwarding"), rootless);
            DockerClientConfig config = builder.withApiVersion(apiVersion).build();
            DockerClient client = DockerClientImpl.getInstance(new MapperPinnedConfig(config, mapper), http);
            return new EngineConnection(endpoint, client, http, engineInfo);
        } catch (Exception e) {
            try {
                http.close();
            } catch (IOException ignored) {
                // closing a client that never connected
            }
            throw e;
        }
    }

    /** A bounded GET: the HTTP client's own timeout covers reads, this also covers a stuck connect. */
    private JsonNode getJson(DockerHttpClient http, String path) throws Exception {
        var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
        var executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "triage-engine-check");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<JsonNode> call = executor.submit(() -> {
                try (DockerHttpClient.Response response = http.execute(request); InputStream body = response.getBody()) {
                    byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
                    if (response.getStatusCode() >= 400) {
                        String message = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                        try {
                            message = JSON.readTree(bytes).path("message").asText(message);
                        } catch (IOException ignored) {
                            // not JSON: keep the raw text
                        }
                        EngineFailure failure = EngineFailure.classify(new RuntimeException(message));
                        throw new FailureException(failure == EngineFailure.NO_ANSWER ? EngineFailure.NOT_DOCKER : failure,
                                "HTTP " + response.getStatusCode() + " on " + path + ": " + message.strip());
                    }
                    try {
                        return JSON.readTree(bytes);
                    } catch (IOException e) {
                        throw new FailureException(EngineFailure.NOT_DOCKER, "the answer to " + path + " is not JSON");
                    }
                }
            });
            try {
                return call.get(answerLimit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                throw new FailureException(EngineFailure.NO_ANSWER, "no answer to " + path + " within " + answerLimit.toMillis() + " ms");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    private static Boolean bool(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isBoolean() ? null : v.asBoolean();
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
            if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
                if (sb.length() > 0) {
                    sb.append(": ");
                }
                sb.append(t.getMessage());
            }
        }
        return sb.length() == 0 ? dev.triage.host.Failures.words(e) : dev.triage.host.Failures.withoutClassNames(sb.toString());
    }

    /**
     * The TLS context of an engine reached without TLS (a unix socket, plain tcp://). Without one, the
     * HTTP client builds the JVM's default context at start, which parses the whole CA trust store
     * (start-up time) for a connection that never does TLS. This one refuses every use: if TLS were
     * ever attempted on such a connection, it fails instead of trusting anything.
     */
    static final class NoTls extends javax.net.ssl.SSLContextSpi {
        static javax.net.ssl.SSLContext context() {
            return new javax.net.ssl.SSLContext(new NoTls(), null, "none") { };
        }

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("this engine connection has no TLS (DOCKER_TLS_VERIFY is not set)");
        }

        @Override
        protected void engineInit(javax.net.ssl.KeyManager[] km, javax.net.ssl.TrustManager[] tm, java.security.SecureRandom random) {
            throw refused();
        }

        @Override
        protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() { throw refused(); }

        @Override
        protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() { throw refused(); }

        @Override
        protected javax.net.ssl.SSLEngine engineCreateSSLEngine() { throw refused(); }

        @Override
        protected javax.net.ssl.SSLEngine engineCreateSSLEngine(String host, int port) { throw refused(); }

        @Override
        protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() { throw refused(); }

        @Override
        protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() { throw refused(); }
    }

    /** A failure already classified where it was seen. */
    static final class FailureException extends Exception {
        final EngineFailure failure;

        FailureException(EngineFailure failure, String message) {
            super(message);
            this.failure = failure;
        }
    }
}
