package dev.triage.fix;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of OpenWrt's UCI file format to add a line to a section or a section to a file
 * while keeping every other byte (comments, blank lines, quoting) as it was.
 */
final class UciText {
    // a value may be followed by a comment, and a line may end in \r (a file edited on Windows)
    private static final Pattern OPTION = Pattern.compile(
            "^\\s*(option|list)\\s+(\\S+)\\s+(?:'([^']*)'|\"([^\"]*)\"|([^\\s#]+))\\s*(?:#.*)?\\r?$");

    private UciText() { }

    /** Lines grouped by section: the first group is what precedes any "config" line. */
    static List<List<String>> sections(String text) {
        List<List<String>> sections = new ArrayList<>();
        List<String> current = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int n = text.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < n; i++) {
            if (lines[i].strip().startsWith("config ") && !current.isEmpty()) {
                sections.add(current);
                current = new ArrayList<>();
            }
            current.add(lines[i]);
        }
        sections.add(current);
        return sections;
    }

    static String join(List<List<String>> sections, boolean trailingNewline) {
        List<String> all = new ArrayList<>();
        sections.forEach(all::addAll);
        return String.join("\n", all) + (trailingNewline ? "\n" : "");
    }

    /** First value of "option NAME", or null. */
    static String option(List<String> section, String name) {
        for (String line : section) {
            Matcher m = OPTION.matcher(line);
            if (m.matches() && m.group(1).equals("option") && m.group(2).equals(name)) {
                return value(m);
            }
        }
        return null;
    }

    /** All values of "list NAME" (and a single "option NAME", which UCI also accepts for lists). */
    static List<String> lists(List<String> section, String name) {
        List<String> values = new ArrayList<>();
        for (String line : section) {
            Matcher m = OPTION.matcher(line);
            if (m.matches() && m.group(2).equals(name)) {
                for (String v : value(m).split("\\s+")) {
                    values.add(v);
                }
            }
        }
        return values;
    }

    /**
     * Index of the section's last option or list line (or its config line), where a new line goes
     * after: a comment that introduces the next section stays with it.
     */
    static int lastContentLine(List<String> section) {
        for (int i = section.size() - 1; i > 0; i--) {
            if (OPTION.matcher(section.get(i)).matches()) {
                return i;
            }
        }
        return 0;
    }

    private static String value(Matcher m) {
        return m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : m.group(5);
    }
}
