package dev.triage.probe;

import dev.triage.scenario.KindCatalog;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every probe kind the program has, by name. Adding a kind is one line here and one class. */
public final class ProbeRegistry {
    private final Map<String, Probe<?>> probes = new LinkedHashMap<>();

    public ProbeRegistry(Probe<?>... probes) {
        for (Probe<?> p : probes) {
            if (this.probes.put(p.kind(), p) != null) {
                throw new IllegalArgumentException("two probes of kind " + p.kind());
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

    /** The probe half of the validator's catalog: outcomes, params and evidence fields of each kind. */
    public Map<String, KindCatalog.ProbeKind> describe() {
        return probes.values().stream().collect(Collectors.toMap(Probe::kind, p -> new KindCatalog.ProbeKind(
                new LinkedHashSet<>(p.outcomes()), p.requiredParams(), p.optionalParams(),
                Arrays.stream(p.evidenceType().getRecordComponents()).map(RecordComponent::getName)
                        .collect(Collectors.toCollection(LinkedHashSet::new))), (a, b) -> a, LinkedHashMap::new));
    }

}
