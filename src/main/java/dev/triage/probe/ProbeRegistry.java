package dev.triage.probe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every probe kind the program has, by the kind its {@link ProbeSpec} names. Adding a kind is one
 * class (its spec, its evidence, its run) and one line here. Not
 * final: a test registry answers each test of a tree from a table ({@link #forTest}).
 */
public class ProbeRegistry {
    private final Map<String, Probe<?>> probes = new LinkedHashMap<>();

    public ProbeRegistry(Probe<?>... probes) {
        for (Probe<?> p : probes) {
            if (this.probes.put(p.spec().kind(), p) != null) {
                throw new IllegalArgumentException("two probes of kind " + p.spec().kind());
            }
        }
    }

    public static ProbeRegistry standard() {
        return new ProbeRegistry(new EngineProbe(), new BridgeConnectProbe(), new HostConnectProbe(),
                new ForwardRulesProbe(), new BridgeNetfilterProbe(), new SysctlProbe(), new FirewallBackendProbe(),
                new TcpConnectProbe(), new ContainerConnectProbe(), new NetworkOptionsProbe(), new RouteLookupProbe(),
                new NatRulesProbe(), new EvidenceCheckProbe(), new TlsHandshakeProbe(), new PostfixMasterCfProbe(),
                new OutcomeOfProbe(), new ContainerFindProbe(), new EnvValueProbe(), new ContainerMountProbe(),
                new ContainerLogsProbe(), new PathOwnerProbe(), new VersionCompareProbe(), new MailuProxyProtocolProbe(),
                new KernelModulesProbe());
    }

    public Optional<Probe<?>> get(String kind) {
        return Optional.ofNullable(probes.get(kind));
    }

    /** The probe that runs {@code test}: the one of its kind (a test registry answers from a table instead). */
    public Optional<Probe<?>> forTest(dev.triage.scenario.TestNode test) {
        return get(test.probe());
    }

    /** Every probe, by kind (the composition root describes them to the scenario validator). */
    public java.util.Collection<Probe<?>> all() {
        return java.util.Collections.unmodifiableCollection(probes.values());
    }
}
