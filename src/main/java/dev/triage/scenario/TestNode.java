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
 * @param manual   how an admin runs the same check by hand (shown in explain mode), with ${...} placeholders
 */
public record TestNode(String id, String title, String probe, Map<String, Object> params, Duration timeout,
                       Map<String, String> next, boolean prefetch, String explain, List<Manual> manual, int line) {

    /**
     * One by-hand command; {@code ifSet} / {@code ifUnset} (a placeholder reference such as
     * {@code input.network}) keep it to runs where that value is given, or is not.
     */
    public record Manual(String run, String ifSet, String ifUnset) {
        public static Manual of(String run) {
            return new Manual(run, null, null);
        }

        /** The condition in words, for a test shown before it ran ("if network is given"). */
        public String condition() {
            String ref = ifSet != null ? ifSet : ifUnset;
            if (ref == null) {
                return null;
            }
            String name = ref.startsWith("input.") ? ref.substring("input.".length()) : ref;
            return "if " + name + (ifSet != null ? " is given" : " is not given");
        }
    }

    /** This test with its by-hand commands replaced (the ones of a run, with its values). */
    public TestNode withManual(List<Manual> commands) {
        return new TestNode(id, title, probe, params, timeout, next, prefetch, explain, List.copyOf(commands), line);
    }

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
