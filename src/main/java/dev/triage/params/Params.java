package dev.triage.params;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one reading of a scenario's parameters after placeholders were resolved, the same for a
 * probe's test and a fix's action. Empty means "not set". A list is its items as written in YAML
 * (empty items dropped), or a single string split at spaces; an item of a list of settings is
 * {@code KEY=VALUE} ({@link Assignment}); numbers and durations that do not parse are refused with
 * the parameter's name and the value.
 */
public class Params {
    private final Map<String, Object> values;

    public Params(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    public Map<String, Object> values() {
        return values;
    }

    /** The value as text; a list's items joined with spaces. */
    public String get(String name) {
        Object v = values.get(name);
        if (v == null) {
            return "";
        }
        return v instanceof List<?> ? String.join(" ", list(name)) : String.valueOf(v);
    }

    /** The value, or {@code fallback} when it is empty or only spaces. */
    public String get(String name, String fallback) {
        String v = get(name);
        return v.isBlank() ? fallback : v;
    }

    public boolean has(String name) {
        return !get(name).isBlank();
    }

    /** A YAML list's items (empty ones dropped), or a single string's words. */
    public List<String> list(String name) {
        Object v = values.get(name);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object item : l) {
                if (item != null && !String.valueOf(item).isBlank()) {
                    out.add(String.valueOf(item));
                }
            }
        } else if (v != null) {
            for (String word : String.valueOf(v).strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    out.add(word);
                }
            }
        }
        return List.copyOf(out);
    }

    public int getInt(String name, int fallback) {
        String v = get(name).strip();
        return v.isEmpty() ? fallback : (int) number(name, v, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A number that must be given. */
    public long getLong(String name) {
        return number(name, get(name).strip(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** "true" or "false"; not set is false. */
    public boolean flag(String name) {
        String v = get(name).strip();
        if (v.isEmpty() || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + " must be true or false, not '" + v + "'");
    }

    public Duration duration(String name, Duration fallback) {
        String v = get(name).strip();
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).strip()));
            }
            double seconds = Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1).strip() : v);
            return Duration.ofMillis((long) (seconds * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must look like 500ms or 3s, not '" + v + "'");
        }
    }

    /** One {@code KEY=VALUE} item of a list (split at the first {@code =}), or empty when it has no key. */
    public record Assignment(String key, String value) {
        public static java.util.Optional<Assignment> of(String item) {
            int eq = item.indexOf('=');
            return eq <= 0 ? java.util.Optional.empty() : java.util.Optional.of(new Assignment(item.substring(0, eq), item.substring(eq + 1)));
        }
    }

    private static long number(String name, String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below, with the name
        }
        throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
    }
}
