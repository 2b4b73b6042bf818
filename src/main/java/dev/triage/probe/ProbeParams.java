package dev.triage.probe;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A test's parameters after placeholders were resolved. Empty strings mean "not set". */
public record ProbeParams(Map<String, Object> values) {

    public String get(String name) {
        Object v = values.get(name);
        if (v == null) {
            return "";
        }
        return v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v.isEmpty() ? fallback : v;
    }

    public boolean has(String name) {
        return !get(name).isEmpty();
    }

    public int getInt(String name, int fallback) {
        String v = get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + v + "'");
        }
    }

    public List<String> list(String name) {
        Object v = values.get(name);
        if (v instanceof List<?> l) {
            return l.stream().map(String::valueOf).filter(s -> !s.isEmpty()).toList();
        }
        String s = get(name);
        return s.isEmpty() ? List.of() : List.of(s);
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
}
