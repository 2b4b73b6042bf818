package dev.triage.host;

import java.util.Collection;

/**
 * The one reading of an env file (and of the small KEY=VALUE config files written the same way:
 * sysctl.d, modules-load.d): one assignment a line, {@code #} or {@code ;} comments, an optional
 * {@code export } before the key, spaces around {@code =}, optional quotes around the value, and
 * the last assignment of a key wins (as in Docker, compose and sysctl). A line without {@code =} is
 * a bare key (a module name; in an env file, a variable taken from the environment).
 */
public final class EnvFile {
    private EnvFile() { }

    /** What a file says about one key: its value (null when never assigned) and how many lines assign it. */
    public record Found(String value, int count) { }

    /** The key a line assigns or names, or null for a blank line or a comment. */
    public static String keyOf(String line) {
        String l = line.replace("\r", "").strip();
        if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
            return null;
        }
        if (l.startsWith("export ")) {
            l = l.substring("export ".length()).strip();
        }
        int eq = l.indexOf('=');
        return eq < 0 ? l : l.substring(0, eq).strip();
    }

    /** The value {@code text} gives {@code key}: the last assignment, unquoted. */
    public static Found lookup(String text, String key) {
        String value = null;
        int count = 0;
        for (String line : text.split("\n")) {
            if (key.equals(keyOf(line)) && line.indexOf('=') >= 0) {
                value = unquote(line.replace("\r", "").substring(line.indexOf('=') + 1).strip());
                count++;
            }
        }
        return new Found(value, count);
    }

    /** {@code text} without the lines that assign or name one of {@code keys}; every other byte as it was. */
    public static String unset(String text, Collection<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("(?<=\n)")) {
            String key = keyOf(line);
            if (key == null || !keys.contains(key)) {
                out.append(line);
            }
        }
        return out.toString();
    }

    /**
     * {@code text} with {@code line} as the one line for {@code key}: the first existing line of the
     * key replaced, later ones dropped, else added at the end; a CRLF file stays CRLF.
     */
    public static String set(String text, String key, String line) {
        String eol = text.contains("\r\n") ? "\r" : "";
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (key.equals(keyOf(lines.get(i)))) {
                if (!replaced) {
                    lines.set(i, line + eol);
                    replaced = true;
                } else {
                    lines.remove(i--);
                }
            }
        }
        if (!replaced) {
            lines.add(line + eol);
        }
        return String.join("\n", lines) + "\n";
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
