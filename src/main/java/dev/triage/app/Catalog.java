package dev.triage.app;

import dev.triage.fix.ActionFactory;
import dev.triage.probe.Probe;
import dev.triage.probe.ProbeRegistry;
import dev.triage.probe.ProbeSpec;
import dev.triage.scenario.KindCatalog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The probe and action kinds this build has, as the scenario validator sees them. */
public final class Catalog implements KindCatalog {
    private final Map<String, ProbeKind> probes;
    private final Map<String, ActionKind> actions;

    public Catalog(ProbeRegistry registry) {
        this.probes = describe(registry);
        this.actions = ActionFactory.kinds();
    }

    /** The probe half of the catalog: outcomes, params and evidence fields of each kind. */
    private static Map<String, ProbeKind> describe(ProbeRegistry registry) {
        return registry.all().stream().map(Probe::spec).collect(Collectors.toMap(ProbeSpec::kind, s -> new ProbeKind(
                s.outcomes(), s.requiredParams(), s.optionalParams(), s.evidenceFields(), s.booleanFields(), s.groups()), (a, b) -> a, LinkedHashMap::new));
    }

    @Override
    public Optional<ProbeKind> probe(String kind) { return Optional.ofNullable(probes.get(kind)); }

    @Override
    public Optional<ActionKind> action(String kind) { return Optional.ofNullable(actions.get(kind)); }

    @Override
    public Set<String> probeKinds() { return probes.keySet(); }

    @Override
    public Set<String> actionKinds() { return actions.keySet(); }
}
