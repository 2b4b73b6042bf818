package dev.triage.app;

import dev.triage.fix.ActionFactory;
import dev.triage.probe.ProbeRegistry;
import dev.triage.scenario.KindCatalog;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The probe and action kinds this build has, as the scenario validator sees them. */
public final class Catalog implements KindCatalog {
    private final Map<String, ProbeKind> probes;
    private final Map<String, ActionKind> actions;

    public Catalog(ProbeRegistry registry) {
        this.probes = registry.describe();
        this.actions = ActionFactory.kinds();
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
