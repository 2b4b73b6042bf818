package dev.triage.host;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one reading and editing of an env file (and of the small KEY=VALUE config files written the
 * same way: sysctl.d, modules-load.d, /etc/default/docker), as docker compose reads env files: one
 * assignment a line, {@code #} or {@code ;} comment lines, an optional {@code export } before the
 * key, spaces around {@code =}, a value in double quotes (with backslash escapes) or single quotes
 * (literal), an unquoted value ending at a {@code #} after a space, CRLF or LF, and the last
 * assignment of a key wins. A line without {@code =} is a bare key (a module name; in an env file,
 * a variable taken from the environment). Edits keep every byte of the lines they do not touch.
 */
public final class EnvFile {
    private static final Pattern EXPORT = Pattern.compile("export\\s+");

    private EnvFile() { }

    /** What a file says about one key: its value (null when never assigned) and how many lines assign it. */
    public record Found(String value, int count) { }

    /** The key a line assigns or names, or null for a blank line or a comment. */
    public static String keyOf(String line) {
        String l = body(line);
        if (l == null) {
            return null;
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
                value = valueOf(line);
                count++;
            }
        }
        return new Found(value, count);
    }

    /** Every assigned key with its value, in the order of first assignment; the last assignment wins. */
    public static Map<String, String> entries(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String key = keyOf(line);
            if (key != null && line.indexOf('=') >= 0) {
                out.put(key, valueOf(line));
            }
        }
        return out;
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
     * key replaced (keeping its line ending), later ones dropped (they would win), else added at the
     * end with the line ending of the file's last line. Every other byte stays as it was.
     */
    public static String set(String text, String key, String line) {
        return set(text, key, line, null);
    }

    /** As {@link #set(String, String, String)}, with {@code comment} as a line before {@code line} when it is added. */
    public static String set(String text, String key, String line, String comment) {
        int lastBreak = text.lastIndexOf('\n');
        String eol = lastBreak > 0 && text.charAt(lastBreak - 1) == '\r' ? "\r\n" : "\n"; // as the line before it
        StringBuilder out = new StringBuilder();
        boolean replaced = false;
        for (String physical : text.split("(?<=\n)")) {
            if (!key.equals(keyOf(physical))) {
                out.append(physical);
            } else if (!replaced) {
                String ending = physical.endsWith("\r\n") ? "\r\n" : physical.endsWith("\n") ? "\n" : "";
                out.append(line).append(ending);
                replaced = true;
            }
        }
        if (!replaced) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append(eol);
            }
            if (comment != null) {
                out.append(comment).append(eol);
            }
            out.append(line).append(eol);
        }
        return out.toString();
    }

    /** A line without its line ending, spaces, and {@code export }; null for a blank line or a comment. */
    private static String body(String line) {
        String l = line.replace("\r", "").strip();
        if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
            return null;
        }
        var export = EXPORT.matcher(l);
        return export.lookingAt() ? l.substring(export.end()) : l;
    }

    /** The value of an assignment line as compose reads it. */
    private static String valueOf(String line) {
        String l = body(line);
        String v = l.substring(l.indexOf('=') + 1).strip();
        if (v.startsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && i + 1 < v.length()) {
                    char next = v.charAt(++i);
                    out.append(next == 'n' ? '\n' : next == 't' ? '\t' : next);
                } else {
                    out.append(c);
                }
            }
            return v; // no closing quote: the text as written
        }
        if (v.startsWith("'")) {
            int close = v.indexOf('\'', 1);
            return close < 0 ? v : v.substring(1, close);
        }
        int comment = v.indexOf(" #");
        int tab = v.indexOf("\t#");
        int cut = comment < 0 ? tab : tab < 0 ? comment : Math.min(comment, tab);
        return (cut < 0 ? v : v.substring(0, cut)).strip();
    }
}
