package dev.triage.fix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A compose file as text: its lines and line endings, a BOM, a final newline or not, the mapping
 * from the YAML parser's positions to offsets in this string, and the edits applied as spans. Every
 * character outside an edited span stays as it was, so the preview of a fix is an exact diff.
 */
final class ComposeText {

    final String text;
    final boolean finalNewline;
    private final int[] lineStarts;
    /** Char offset of each code point, when the text has surrogate pairs; null when they are equal. */
    private final int[] charOfCodePoint;

    ComposeText(String text) {
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        finalNewline = text.endsWith("\n");
        int cps = text.codePointCount(0, text.length());
        if (cps == text.length()) {
            charOfCodePoint = null;
        } else {
            charOfCodePoint = new int[cps + 1];
            int c = 0;
            for (int k = 0; k < cps; k++) {
                charOfCodePoint[k] = c;
                c += Character.charCount(text.codePointAt(c));
            }
            charOfCodePoint[cps] = text.length();
        }
    }

    /** The parser counts code points (a BOM included); Java strings count UTF-16 chars. */
    int charOffset(int codePointIndex) {
        return charOfCodePoint == null ? codePointIndex : charOfCodePoint[codePointIndex];
    }

    /** The first lone carriage return (a line break to YAML, not to these lines), or -1. */
    int loneCarriageReturn() {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')) {
                return i;
            }
        }
        return -1;
    }

    int lineCount() {
        return lineStarts.length;
    }

    int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    int lineStart(int line) {
        return lineStarts[line];
    }

    /** Offset after the line's line ending (the next line's start, or the end of the text). */
    int lineEnd(int line) {
        return line + 1 < lineStarts.length ? lineStarts[line + 1] : text.length();
    }

    /** Offset of the line's line ending (\n or \r\n), or of the end of the text. */
    int contentEnd(int line) {
        int end = lineEnd(line);
        if (end > lineStart(line) && text.charAt(end - 1) == '\n') {
            end--;
            if (end > lineStart(line) && text.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return end;
    }

    String line(int line) {
        String s = text.substring(lineStart(line), contentEnd(line));
        return line == 0 && s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** "line 12 (environment: [A=1])": where an offset is, for a message. */
    String at(int offset) {
        int line = lineOf(offset);
        String s = line(line).strip();
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return lineRef(line) + " (" + s + ")";
    }

    /** True when [from, to) holds only blanks (spaces and tabs). */
    boolean blank(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    /** True when the rest of the line from {@code from} is blanks and at most a comment. */
    boolean restIsComment(int from) {
        int end = contentEnd(lineOf(from));
        int i = from;
        while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i == end || text.charAt(i) == '#';
    }

    // ------------------------------------------------------------------------------------------------
    // edits

    /** Replacements of spans of the text; spans must not overlap. */
    final class Edits {
        private record Span(int from, int to, String with) { }

        private final List<Span> spans = new ArrayList<>();

        void replace(int from, int to, String with) {
            spans.add(new Span(from, to, with));
        }

        void insert(int at, String with) {
            replace(at, at, with);
        }

        /**
         * Removes lines [first, last] with their line endings. When they end a file without a final
         * newline, the line before them loses its line ending instead, so the file still has none.
         */
        void deleteLines(int first, int last) {
            int from = lineStart(first);
            int to = lineEnd(last);
            if (to == text.length() && !finalNewline && first > 0) {
                from = contentEnd(first - 1);
            }
            replace(from, to, "");
        }

        boolean isEmpty() {
            return spans.isEmpty();
        }

        String apply() {
            List<Span> sorted = new ArrayList<>(spans);
            sorted.sort(Comparator.comparingInt(Span::from).thenComparingInt(Span::to));
            StringBuilder sb = new StringBuilder(text.length());
            int at = 0;
            for (Span s : sorted) {
                if (s.from < at) {
                    throw new IllegalStateException("overlapping compose edits at " + s.from);
                }
                sb.append(text, at, s.from).append(s.with);
                at = s.to;
            }
            return sb.append(text, at, text.length()).toString();
        }
    }

    Edits edits() {
        return new Edits();
    }

    // ------------------------------------------------------------------------------------------------
    // small helpers for messages

    static String lineRef(int line) {
        return "line " + (line + 1);
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
