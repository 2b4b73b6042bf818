package dev.triage.probe;

import java.util.Arrays;

/**
 * Branches on evidence an earlier test already gathered, so that a scenario can combine findings
 * ("the container was refused, yet iptables accepts") without a probe of its own. Reads nothing.
 */
public final class EvidenceCheckProbe implements Probe<EvidenceCheckProbe.Evidence> {

    public record Evidence(String value, String expected) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("evidence-check", Evidence.class)
            .outcomes("yes", "no")
            .requires("value", "equals");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String value = params.get("value");
        String expected = params.get("equals");
        boolean match = Arrays.asList(expected.split("\\|")).contains(value);
        return ProbeResult.of(match ? "yes" : "no", new Evidence(value, expected),
                "'" + value + "' " + (match ? "is" : "is not") + " " + expected);
    }
}
