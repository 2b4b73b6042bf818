package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.docker.EngineFailure;
import dev.triage.docker.EngineInfo;
import dev.triage.docker.EngineUnreachableException;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Can we talk to the Docker engine, and what is it? Failures are classified so the hint fits. */
public final class EngineProbe implements Probe<EngineProbe.Evidence> {

    public record Attempt(String endpoint, String address, String failure, String error) { }

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(String endpoint, @JsonUnwrapped Engine engine, @JsonUnwrapped Unreachable unreachable) {
        public Evidence {
            engine = engine == null ? Engine.UNKNOWN : engine;
            unreachable = unreachable == null ? Unreachable.NOT : unreachable;
        }
    }

    /** What the engine said about itself (unknown when it could not be reached). */
    public record Engine(boolean local, String serverVersion, String apiVersion, String minApiVersion, String os, String arch,
                         String kernel, String firewallBackend, Boolean ipv4Forwarding, boolean rootless) {
        static final Engine UNKNOWN = new Engine(false, null, null, null, null, null, null, null, null, false);

        static Engine of(EngineInfo info) {
            return new Engine(info.local(), info.serverVersion(), info.apiVersion(), info.minApiVersion(), info.os(),
                    info.arch(), info.kernel(), info.firewallBackend(), info.ipv4Forwarding(), info.rootless());
        }
    }

    /** Why it could not be reached, with a hint, and every endpoint tried. */
    public record Unreachable(String failure, String error, String hint, List<Attempt> attempts) {
        static final Unreachable NOT = new Unreachable(null, null, null, List.of());
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("docker-engine", Evidence.class)
            .outcomes(Stream.concat(Stream.of("reachable"), Arrays.stream(EngineFailure.values()).map(EngineFailure::outcome))
                    .toArray(String[]::new))
            .fine("reachable");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        try {
            EngineInfo info = context.docker().info();
            Evidence e = new Evidence(info.endpoint(), Engine.of(info), Unreachable.NOT);
            return ProbeResult.of("reachable", e, "Docker " + info.serverVersion() + " (API " + info.apiVersion() + ") at "
                    + info.endpoint() + (info.firewallBackend() == null ? "" : ", firewall backend " + info.firewallBackend()));
        } catch (EngineUnreachableException ex) {
            var primary = ex.primary();
            List<Attempt> attempts = ex.attempts().stream()
                    .map(a -> new Attempt(a.endpoint(), a.address(), a.failure().outcome(), a.error())).toList();
            Evidence e = new Evidence(primary.address(), Engine.UNKNOWN,
                    new Unreachable(primary.failure().outcome(), primary.error(), primary.hint(), attempts));
            return ProbeResult.of(primary.failure().outcome(), e, primary.address() + ": " + primary.error());
        }
    }
}
