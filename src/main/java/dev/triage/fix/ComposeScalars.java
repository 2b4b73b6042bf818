package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static dev.triage.fix.ComposeLines.*;
import dev.triage.fix.ComposeDocument.Block;
import dev.triage.fix.ComposeDocument.Edits;
import dev.triage.fix.ComposeDocument.Entry;
import dev.triage.fix.ComposeEdits.Volume;
import dev.triage.fix.ComposeEdits.Volumes;
import dev.triage.fix.ComposeImages.ImageText;
import dev.triage.fix.ComposeImages.Var;

/** The YAML pieces of one line of a compose file: scalars and keys, with their spans. */
final class ComposeScalars {
    private ComposeScalars() { }

    // ------------------------------------------------------------------------------------------------
    // YAML pieces of a line

    enum Kind { NONE, PLAIN, DOUBLE, SINGLE, ANCHOR, ALIAS, FLOW, TAG, BLOCK, UNCLOSED, OTHER }

    /** A scalar written on one line: its raw span (with quotes) and inner span (without) and its value. */
    static final class Scalar {
        Kind kind;
        int innerStart;
        int innerEnd;
        String value;

        boolean isString() {
            return kind == Kind.PLAIN || kind == Kind.DOUBLE || kind == Kind.SINGLE;
        }

        static Scalar parse(String line, int from) {
            Scalar s = new Scalar();
            int i = from;
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            s.innerStart = i;
            s.innerEnd = i;
            if (i >= line.length() || line.charAt(i) == '#') {
                s.kind = Kind.NONE;
                return s;
            }
            char c = line.charAt(i);
            switch (c) {
                case '&' -> s.kind = Kind.ANCHOR;
                case '*' -> s.kind = Kind.ALIAS;
                case '[', '{' -> s.kind = Kind.FLOW;
                case '!' -> s.kind = Kind.TAG;
                case '|', '>' -> s.kind = Kind.BLOCK;
                case '"' -> quoted(s, line, i, '"');
                case '\'' -> quoted(s, line, i, '\'');
                case '-', '?' -> {
                    if (i + 1 == line.length() || line.charAt(i + 1) == ' ') {
                        s.kind = Kind.OTHER;
                    } else {
                        plain(s, line, i);
                    }
                }
                case '%', '@', '`' -> s.kind = Kind.OTHER;
                default -> plain(s, line, i);
            }
            return s;
        }

        static void plain(Scalar s, String line, int i) {
            int end = line.length();
            for (int j = i + 1; j < line.length(); j++) {
                if (line.charAt(j) == '#' && (line.charAt(j - 1) == ' ' || line.charAt(j - 1) == '\t')) {
                    end = j;
                    break;
                }
            }
            while (end > i && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                end--;
            }
            s.kind = Kind.PLAIN;
            s.innerStart = i;
            s.innerEnd = end;
            s.value = line.substring(i, end);
        }

        /**
         * Reads the quoted scalar that opens at {@code open} ('...' with '' for a quote, "..." with
         * backslash escapes) into {@code value}; returns the index of its closing quote, -1 if unclosed.
         */
        static int closingQuote(String line, int open, StringBuilder value) {
            char q = line.charAt(open);
            int j = open + 1;
            while (j < line.length()) {
                char ch = line.charAt(j);
                if (q == '"' && ch == '\\' && j + 1 < line.length()) {
                    value.append(unescape(line.charAt(j + 1)));
                    j += 2;
                    continue;
                }
                if (ch == q) {
                    if (q == '\'' && j + 1 < line.length() && line.charAt(j + 1) == '\'') {
                        value.append('\'');
                        j += 2;
                        continue;
                    }
                    return j;
                }
                value.append(ch);
                j++;
            }
            return -1;
        }

        static void quoted(Scalar s, String line, int i, char q) {
            StringBuilder v = new StringBuilder();
            int j = closingQuote(line, i, v);
            if (j < 0) {
                s.kind = Kind.UNCLOSED;
                return;
            }
            String after = line.substring(j + 1).strip();
            if (!after.isEmpty() && !after.startsWith("#")) {
                s.kind = Kind.OTHER;
                return;
            }
            s.kind = q == '"' ? Kind.DOUBLE : Kind.SINGLE;
            s.innerStart = i + 1;
            s.innerEnd = j;
            s.value = v.toString();
        }

        static char unescape(char c) {
            return switch (c) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '0' -> '\0';
                default -> c;
            };
        }
    }

    /** "name:" at a column: a plain, single- or double-quoted key followed by a colon and space or end. */
    static final class Key {
        String name;
        int colonEnd;

        static Key parse(String line, int col) {
            if (col >= line.length()) {
                return null;
            }
            char c = line.charAt(col);
            if ((c == '-' || c == '?') && (col + 1 == line.length() || line.charAt(col + 1) == ' ')) {
                return null;
            }
            if (c == '[' || c == '{' || c == '#') {
                return null;
            }
            int colon;
            String name;
            if (c == '"' || c == '\'') {
                // the quoted key, up to its closing quote
                StringBuilder v = new StringBuilder();
                int j = Scalar.closingQuote(line, col, v);
                if (j < 0) {
                    return null;
                }
                int k = j + 1;
                while (k < line.length() && line.charAt(k) == ' ') {
                    k++;
                }
                if (k >= line.length() || line.charAt(k) != ':'
                        || (k + 1 < line.length() && line.charAt(k + 1) != ' ' && line.charAt(k + 1) != '\t')) {
                    return null;
                }
                colon = k;
                name = v.toString();
            } else {
                colon = -1;
                for (int j = col; j < line.length(); j++) {
                    char ch = line.charAt(j);
                    if (ch == '#' && j > col && (line.charAt(j - 1) == ' ' || line.charAt(j - 1) == '\t')) {
                        return null;
                    }
                    if (ch == ':' && (j + 1 == line.length() || line.charAt(j + 1) == ' ' || line.charAt(j + 1) == '\t')) {
                        colon = j;
                        break;
                    }
                }
                if (colon < 0) {
                    return null;
                }
                name = line.substring(col, colon).strip();
            }
            Key k = new Key();
            k.name = name;
            k.colonEnd = colon + 1;
            return k;
        }
    }
}
