package dev.triage.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One test of the tree: a probe kind with parameters and a time limit, and the node each outcome
 * leads to. {@code next} may use "*" for every outcome not named.
 *
 * @param params   parameter values, each a string or a list of strings, with ${...} placeholders
 * @param prefetch start this test when the walk starts, in parallel with the others (read-only, cheap tests)
 * @param manual   how an admin runs the same check by hand (shown in explain mode)
 */
public record TestNode(String id, String title, String probe, Map<String, Object> params, Duration timeout,
                       Map<String, String> next, boolean prefetch, String explain, List<String> manual, int line) {
    /** The probe kind a {@code switch: TEST} node runs (see the probe of that name). */
    public static final String SWITCH_PROBE = dev.triage.probe.OutcomeOfProbe.KIND;

    /** The test whose outcome a switch node branches on; null for a probe node. */
    public String switchedTest() {
        return SWITCH_PROBE.equals(probe) ? String.valueOf(params.get("test")) : null;
    }

    public String nextFor(String outcome) {
        String target = next.get(outcome);
        return target != null ? target : next.get("*");
    }
}
