package dev.triage.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${input.NAME}} and {@code ${TEST.FIELD}} in scenario values. A value that is only
 * a placeholder for a list field becomes that list (so an iptables rule's arguments stay separate
 * words and never pass through a shell).
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private Placeholders() { }

    /** Thrown when a placeholder names a test that did not run on this path or a field it did not fill. */
    public static final class UnresolvedException extends Exception {
        public UnresolvedException(String message) {
            super(message);
        }
    }

    public static Object resolve(Object value, Map<String, String> inputs, Map<String, Map<String, Object>> evidence)
            throws UnresolvedException {
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                Object r = resolve(item, inputs, evidence);
                if (r instanceof List<?> l) {
                    l.forEach(x -> out.add(String.valueOf(x)));
                } else {
                    out.add(String.valueOf(r));
                }
            }
            return out;
        }
        String text = String.valueOf(value);
        Matcher whole = PLACEHOLDER.matcher(text);
        if (whole.matches()) {
            Object v = lookup(whole.group(1), inputs, evidence);
            return v instanceof List<?> ? v : String.valueOf(v);
        }
        return render(text, inputs, evidence);
    }

    public static String render(String text, Map<String, String> inputs, Map<String, Map<String, Object>> evidence)
            throws UnresolvedException {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object v = lookup(m.group(1), inputs, evidence);
            String s = v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
            m.appendReplacement(sb, Matcher.quoteReplacement(s));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Like {@link #render}, for text a person reads (explanations, fix descriptions): what cannot be
     * resolved shows as "(unknown)", and a placeholder without a value as a visible marker
     * ({@code <local-state-dir: not given>}), never as nothing, so that a command in the text can
     * never silently lose an argument.
     */
    public static String renderLenient(String text, Map<String, String> inputs, Map<String, Map<String, Object>> evidence) {
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String s;
            try {
                Object v = lookup(m.group(1), inputs, evidence);
                s = v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
                if (s.isBlank()) {
                    s = emptyMarker(m.group(1));
                }
            } catch (UnresolvedException e) {
                s = "(unknown)";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(s));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Whether rendered text carries a marker of a value that was not given or not found. */
    public static boolean hasMarker(String rendered) {
        return rendered != null && (rendered.contains("(unknown)") || MARKER.matcher(rendered).find());
    }

    private static final Pattern MARKER = Pattern.compile("<[A-Za-z0-9_.-]+: (not given|none)>");

    /** {@code <NAME: not given>} for an input, {@code <FIELD: none>} for evidence a test did not find. */
    static String emptyMarker(String ref) {
        String first = ref.split("\\|", -1)[0].strip();
        if (first.startsWith("input.")) {
            return "<" + first.substring("input.".length()) + ": not given>";
        }
        int dot = first.indexOf('.');
        return "<" + (dot < 0 ? first : first.substring(dot + 1)) + ": none>";
    }

    /**
     * {@code ${a.x|b.y}}: the first alternative that resolves to something non-empty (the same fact
     * from whichever test found it on this path), else "" if any resolved, else unresolved.
     */
    static Object lookup(String ref, Map<String, String> inputs, Map<String, Map<String, Object>> evidence)
            throws UnresolvedException {
        if (!ref.contains("|")) {
            return lookupOne(ref, inputs, evidence);
        }
        UnresolvedException last = null;
        boolean resolved = false;
        for (String alternative : ref.split("\\|", -1)) {
            try {
                Object v = lookupOne(alternative.strip(), inputs, evidence);
                resolved = true;
                if (!(v instanceof List<?> l ? l.isEmpty() : String.valueOf(v).isEmpty())) {
                    return v;
                }
            } catch (UnresolvedException e) {
                last = e;
            }
        }
        if (resolved) {
            return "";
        }
        throw last;
    }

    private static Object lookupOne(String ref, Map<String, String> inputs, Map<String, Map<String, Object>> evidence)
            throws UnresolvedException {
        int dot = ref.indexOf('.');
        if (dot < 0) {
            throw new UnresolvedException("placeholder ${" + ref + "} is not input.NAME or TEST.FIELD");
        }
        String head = ref.substring(0, dot);
        String field = ref.substring(dot + 1);
        if (head.equals("input")) {
            String v = inputs.get(field);
            return v == null ? "" : v;
        }
        Map<String, Object> fields = evidence.get(head);
        if (fields == null) {
            throw new UnresolvedException("${" + ref + "}: test '" + head + "' did not run on this path");
        }
        if (!fields.containsKey(field)) {
            throw new UnresolvedException("${" + ref + "}: test '" + head + "' has no evidence field " + field);
        }
        Object v = fields.get(field);
        return v == null ? "" : v;
    }
}
