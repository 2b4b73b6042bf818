package dev.triage.probe;

/**
 * What a scenario's {@code switch: TEST} node runs: branches on the outcome of a test that already
 * ran on the path, so that a tree can gather evidence in parallel first and decide after. Its
 * outcomes are the switched test's (the validator checks the mapping against that test's probe).
 */
public final class OutcomeOfProbe implements Probe<OutcomeOfProbe.Evidence> {
    public static final String KIND = "outcome-of";

    public record Evidence(String test, String value) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of(KIND, Evidence.class)
            // no outcomes of its own: the switched test's probe declares them
            .requires("test", "value");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String test = params.get("test");
        String value = params.get("value");
        return ProbeResult.of(value, new Evidence(test, value), "test '" + test + "' ended in '" + value + "'");
    }
}
