package dev.triage.app;

import dev.triage.fix.ActionFactory;
import dev.triage.probe.Probe;
import dev.triage.probe.ProbeRegistry;
import dev.triage.scenario.KindCatalog;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
        return registry.all().stream().collect(Collectors.toMap(Probe::kind, p -> new ProbeKind(
                new LinkedHashSet<>(p.outcomes()), p.requiredParams(), p.optionalParams(),
                Arrays.stream(p.evidenceType().getRecordComponents()).map(RecordComponent::getName)
                        .collect(Collectors.toCollection(LinkedHashSet::new)),
                Arrays.stream(p.evidenceType().getRecordComponents())
                        .filter(c -> c.getType() == boolean.class || c.getType() == Boolean.class).map(RecordComponent::getName)
                        .collect(Collectors.toCollection(LinkedHashSet::new))), (a, b) -> a, LinkedHashMap::new));
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
