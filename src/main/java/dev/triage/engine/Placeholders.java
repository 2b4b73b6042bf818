package dev.triage.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${input.NAME}} and {@code ${TEST.FIELD}} in scenario values. A value that is only
 * a placeholder for a list field becomes that list (so an iptables rule's arguments stay separate
 * words and never pass through a shell). {@code ${input.NAME.host}} and {@code ${input.NAME.port}}
 * are the parts of a HOST:PORT input; a last alternative in quotes ({@code ${a.x|"not set"}}) is the
 * words shown when no alternative has a value. In prose, a scenario's {@code words:} say a value
 * (an outcome, true/false, nothing) in words ({@link #renderProse}).
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
        return replaceEach(text, expr -> {
            Object v = lookup(expr, inputs, evidence);
            String s = v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
            return s.isBlank() ? emptyMarker(expr) : s;
        });
    }

    /** What a placeholder reads as, given its expression; may throw when it cannot be resolved. */
    private interface Reading {
        String of(String expr) throws UnresolvedException;
    }

    /** Replaces each placeholder with its reading, "(unknown)" where it cannot be resolved. */
    private static String replaceEach(String text, Reading reading) {
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String s;
            try {
                s = reading.of(m.group(1));
            } catch (UnresolvedException e) {
                s = "(unknown)";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(s));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * For prose (a verdict's explanation, a fix's description): like {@link #renderLenient}, with each
     * value said in the scenario's words for it ({@code words}: {@code TEST.FIELD} to value to
     * words), so an outcome, true/false or an empty value reads as words; a value without words is
     * shown as it is.
     */
    public static String renderProse(String text, Map<String, String> inputs, Map<String, Map<String, Object>> evidence,
                                     Map<String, Map<String, String>> words) {
        return replaceEach(text, expr -> {
            String s = say(expr, inputs, evidence, words);
            String[] alternatives = expr.split("\\|", -1);
            // words in quotes, even "", are what the scenario wants shown for nothing
            return s.isBlank() && literal(alternatives[alternatives.length - 1]) == null ? emptyMarker(expr) : s;
        });
    }

    /** Words for a test that could not run, where the scenario gives none for its outcome. */
    public static final String NOT_CHECKED = "not checked (the test could not run)";

    /**
     * A reference's value in the scenario's words: the first alternative with a value, said through
     * its words; when none has a value, the quoted alternative, else the words for "" of an
     * alternative that resolved, else "".
     */
    public static String say(String ref, Map<String, String> inputs, Map<String, Map<String, Object>> evidence,
                             Map<String, Map<String, String>> words) throws UnresolvedException {
        UnresolvedException last = null;
        String empty = null;
        boolean resolved = false;
        for (String alternative : ref.split("\\|", -1)) {
            String literal = literal(alternative);
            if (literal != null) {
                return literal;
            }
            String a = alternative.strip();
            try {
                Object v = lookupOne(a, inputs, evidence);
                resolved = true;
                String text = v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
                Map<String, String> said = words.getOrDefault(a, Map.of());
                if (!text.isEmpty()) {
                    if (said.containsKey(text)) {
                        return said.get(text);
                    }
                    return a.endsWith(".outcome") && dev.triage.probe.ProbeResult.INCONCLUSIVE.equals(text) ? NOT_CHECKED : text;
                }
                if (empty == null) {
                    empty = said.get("");
                }
            } catch (UnresolvedException e) {
                last = e;
            }
        }
        if (resolved) {
            return empty == null ? "" : empty;
        }
        throw last;
    }

    /**
     * For a command an admin types by hand (explain mode): this run's values; what is not known says
     * so in words ({@code <address, not known yet>}, {@code <network, not given>}), never a bare
     * placeholder to guess.
     */
    public static String renderByHand(String text, Map<String, String> inputs, Map<String, Map<String, Object>> evidence) {
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            String s;
            try {
                Object v = lookup(ref, inputs, evidence);
                s = v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
                if (s.isBlank()) {
                    s = "<" + shortName(ref) + (ref.strip().startsWith("input.") ? ", not given>" : ", none found>");
                }
            } catch (UnresolvedException e) {
                s = "<" + shortName(ref) + ", not known yet>";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(s));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Whether a reference has a value (not empty) on this path: the condition of a by-hand line. */
    public static boolean isSet(String ref, Map<String, String> inputs, Map<String, Map<String, Object>> evidence) {
        try {
            Object v = lookup(ref, inputs, evidence);
            return !(v instanceof List<?> l ? l.isEmpty() : String.valueOf(v).isBlank());
        } catch (UnresolvedException e) {
            return false;
        }
    }

    /** "address" for {@code upstream.address}, "target's port" for {@code input.target.port}. */
    static String shortName(String ref) {
        String first = ref.split("\\|", -1)[0].strip();
        String field = first.startsWith("input.") ? first.substring("input.".length()) : first.substring(first.indexOf('.') + 1);
        if (first.startsWith("input.") && (field.endsWith(".host") || field.endsWith(".port"))) {
            int dot = field.lastIndexOf('.');
            return field.substring(0, dot) + "'s " + field.substring(dot + 1);
        }
        return field.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
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
            String literal = literal(alternative);
            if (literal != null) {
                return literal;
            }
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

    /** The text of a quoted alternative ({@code "not set"}), or null for a reference. */
    public static String literal(String alternative) {
        String a = alternative.strip();
        return a.length() >= 2 && a.startsWith("\"") && a.endsWith("\"") ? a.substring(1, a.length() - 1) : null;
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
            int part = field.lastIndexOf('.');
            if (v == null && part > 0 && (field.endsWith(".host") || field.endsWith(".port"))) {
                String whole = inputs.get(field.substring(0, part));
                if (whole == null || whole.isEmpty()) {
                    return "";
                }
                try {
                    dev.triage.probe.HostPort hp = dev.triage.probe.HostPort.parse(whole);
                    return field.endsWith(".host") ? hp.host() : String.valueOf(hp.port());
                } catch (IllegalArgumentException e) {
                    throw new UnresolvedException("${" + ref + "}: " + e.getMessage());
                }
            }
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
