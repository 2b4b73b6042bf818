package dev.triage.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.regex.Pattern;

/** What every part of the compose edits shares: the re-parser, patterns, and small line tests. */
final class ComposeLines {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Pattern DOCKER_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** A line whose value is a block scalar (| or >): the lines under it are text, not structure. */
    static final Pattern BLOCK_SCALAR_LINE = Pattern.compile(
            "^\\s*(?:-\\s+)*(?:[^#\\s][^#]*?:\\s+)?(?:&\\S+\\s+)?(?:!\\S*\\s+)?[|>][1-9+-]{0,2}\\s*(?:#.*)?$");

    private ComposeLines() { }

    // ------------------------------------------------------------------------------------------------

    static boolean isContent(String line) {
        String s = line.strip();
        return !s.isEmpty() && !s.startsWith("#");
    }

    static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    static boolean isDash(String line, int ind) {
        return ind < line.length() && line.charAt(ind) == '-'
                && (ind + 1 == line.length() || line.charAt(ind + 1) == ' ');
    }

    static String lineRef(int i) {
        return "line " + (i + 1);
    }

    static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }

    static String quoteForMessage(String s) {
        return s == null ? "null" : "\"" + s.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
