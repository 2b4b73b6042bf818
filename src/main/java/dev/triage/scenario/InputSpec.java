package dev.triage.scenario;

import java.util.regex.Pattern;

/**
 * An input the scenario asks for, with what it means and how a value is checked.
 *
 * @param requires other inputs that must be set when this one is (a target lives on a named network)
 * @param type     a value grammar defined once in code ({@link #HOST_PORT}), checked besides the pattern
 */
public record InputSpec(String name, String prompt, String help, String defaultValue, boolean required,
                        Pattern pattern, String patternHint, java.util.List<String> requires, String type) {
    /** HOST:PORT, IPv6 in brackets: the grammar of {@link dev.triage.probe.HostPort}, which every probe parses. */
    public static final String HOST_PORT = "host-port";
    public static final java.util.Set<String> TYPES = java.util.Set.of(HOST_PORT);

    public InputSpec(String name, String prompt, String help, String defaultValue, boolean required,
                     Pattern pattern, String patternHint, java.util.List<String> requires) {
        this(name, prompt, help, defaultValue, required, pattern, patternHint, requires, null);
    }

    /** Returns null when the value is acceptable, else a message saying what is expected. */
    public String check(String value) {
        if (value == null || value.isEmpty()) {
            return required ? name + " is required: " + prompt : null;
        }
        if (value.length() > 512 || value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
            return name + ": value is too long or contains control characters";
        }
        if (HOST_PORT.equals(type) && !dev.triage.probe.HostPort.valid(value)) {
            return name + ": '" + value + "' is not valid (" + (patternHint == null ? dev.triage.probe.HostPort.HINT : patternHint) + ")";
        }
        boolean matches;
        try {
            matches = pattern == null || BoundedMatch.matches(pattern, value);
        } catch (BoundedMatch.TooSlowException e) {
            return name + ": the scenario's pattern for this input takes too long to check a value (it backtracks"
                    + " without bound); the scenario file must be fixed";
        }
        if (!matches) {
            return name + ": '" + value + "' is not valid" + (patternHint == null ? "" : " (" + patternHint + ")");
        }
        return null;
    }
}
