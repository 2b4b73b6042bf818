package dev.triage.probe;

import dev.triage.params.Params;

import java.util.Map;

/** A test's parameters after placeholders were resolved, read with the scenario language's one grammar. */
public final class ProbeParams extends Params {
    public ProbeParams(Map<String, Object> values) {
        super(values);
    }
}
