package dev.triage.scenario;

import java.util.regex.Pattern;

/**
 * An input the scenario asks for, with what it means and how a value is checked.
 *
 * @param requires other inputs that must be set when this one is (a target lives on a named network)
 */
public record InputSpec(String name, String prompt, String help, String defaultValue, boolean required,
                        Pattern pattern, String patternHint, java.util.List<String> requires) {

    /** Returns null when the value is acceptable, else a message saying what is expected. */
    public String check(String value) {
        if (value == null || value.isEmpty()) {
            return required ? name + " is required: " + prompt : null;
        }
        if (value.length() > 512 || value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
            return name + ": value is too long or contains control characters";
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
