package dev.triage.fix;

import dev.triage.mail.ImageRef;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An image reference of a compose file as written, {@code [registry/]repository[:tag][@digest]} with
 * compose variables ({@code ${VAR:-default}}), and its tag set in that text. Where the reference
 * splits is {@link ImageRef}'s rule; this class only maps it back onto the written variables.
 */
final class ComposeImageText {
    String raw;
    /** The image with ${VAR:-default} expanded to the default; variables without a default as written. */
    StringBuilder expanded = new StringBuilder();
    /** Per character of expanded: its position in raw (-1: not editable there) ... */
    List<Integer> rawPos = new ArrayList<>();
    /** ... the variable it comes from (null: literal text) ... */
    List<Var> from = new ArrayList<>();
    /** ... and whether that variable has no default (its value is unknown). */
    List<Boolean> opaque = new ArrayList<>();
    int tagColon = -1;
    int digestAt = -1;
    String repository;

    static ComposeImageText parse(String raw) {
        ComposeImageText t = new ComposeImageText();
        t.raw = raw;
        int i = 0;
        while (i < raw.length()) {
            char ch = raw.charAt(i);
            if (ch == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '$') {
                t.add('$', -1, null, false);
                i += 2;
            } else if (ch == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{') {
                int depth = 1;
                int j = i + 2;
                while (j < raw.length() && depth > 0) {
                    if (raw.charAt(j) == '{') {
                        depth++;
                    } else if (raw.charAt(j) == '}') {
                        depth--;
                    }
                    j++;
                }
                Var v = Var.braced(raw, i, j);
                t.addVar(v);
                i = j;
            } else if (ch == '$' && i + 1 < raw.length()
                    && (Character.isLetter(raw.charAt(i + 1)) || raw.charAt(i + 1) == '_')) {
                int j = i + 1;
                while (j < raw.length() && (Character.isLetterOrDigit(raw.charAt(j)) || raw.charAt(j) == '_')) {
                    j++;
                }
                Var v = new Var();
                v.start = i;
                v.end = j;
                v.name = raw.substring(i + 1, j);
                t.addVar(v);
                i = j;
            } else {
                t.add(ch, i, null, false);
                i++;
            }
        }
        String e = t.expanded.toString();
        // the split rule of image references is ImageRef's; a variable's own text never splits
        ImageRef.Split split = ImageRef.split(e, t.opaque::get);
        t.digestAt = split.digestAt();
        t.tagColon = split.tagColon();
        t.repository = e.substring(0, split.repositoryEnd(e.length()));
        return t;
    }

    void add(char ch, int pos, Var v, boolean isOpaque) {
        expanded.append(ch);
        rawPos.add(pos);
        from.add(v);
        opaque.add(isOpaque);
    }

    void addVar(Var v) {
        if (v.hasDefault && v.word.indexOf('$') < 0) {
            for (int k = 0; k < v.word.length(); k++) {
                add(v.word.charAt(k), v.wordStart + k, v, false);
            }
        } else {
            // no default (or a default made of further variables): the value is not known here
            for (int k = v.start; k < v.end; k++) {
                add(raw.charAt(k), -1, v, true);
            }
        }
    }

    /** The raw image with its tag set to newTag; refuses when that cannot be done in this text. */
    String withTag(String newTag, String where, Function<String, IllegalArgumentException> refuse) {
        if (digestAt >= 0) {
            throw refuse.apply(where + " is pinned by digest (" + expanded.substring(digestAt)
                    + "): a digest names one exact image, so a new tag would not take effect");
        }
        int n = expanded.length();
        if (tagColon < 0) {
            if (n == 0) {
                throw refuse.apply(where + " has an empty image");
            }
            Var last = from.get(n - 1);
            if (opaque.get(n - 1)) {
                throw refuse.apply(where + " ends in the variable " + last.name + ", whose value may carry a tag;"
                        + " change it where it is set (the .env file)");
            }
            if (last == null && rawPos.get(n - 1) < 0) {
                throw refuse.apply(where + ": cannot tell where its name ends");
            }
            int insertAt = last != null ? last.end : rawPos.get(n - 1) + 1;
            return raw.substring(0, insertAt) + ":" + newTag + raw.substring(insertAt);
        }
        if (from.get(tagColon) != null) {
            Var v = from.get(tagColon);
            if (n == tagColon + 1 || from.get(n - 1) != v) {
                throw refuse.apply(where + ": its tag is split between the variable " + v.name + " and other text");
            }
        }
        if (tagColon == n - 1) {
            throw refuse.apply(where + " has an empty tag");
        }
        // the tag: expanded characters tagColon+1 .. n-1
        boolean anyOpaque = false;
        Set<Var> vars = new LinkedHashSet<>();
        boolean anyLiteral = false;
        for (int k = tagColon + 1; k < n; k++) {
            anyOpaque |= opaque.get(k);
            if (from.get(k) != null) {
                vars.add(from.get(k));
            } else {
                anyLiteral = true;
            }
        }
        if (anyOpaque) {
            Var v = vars.iterator().next();
            if (!anyLiteral && vars.size() == 1) {
                throw refuse.apply(where + ": its tag is the variable " + v.name + " without a default here;"
                        + " change " + v.name + " to " + newTag + " where it is set (the .env file next to"
                        + " the compose file, or the environment docker compose runs in)");
            }
            throw refuse.apply(where + ": its tag is made of the variable " + v.name + " and other text");
        }
        if (vars.size() > 1 || (anyLiteral && !vars.isEmpty())) {
            throw refuse.apply(where + ": its tag combines variables and text");
        }
        int first = rawPos.get(tagColon + 1);
        int last = rawPos.get(n - 1);
        if (first < 0 || last < 0 || last - first != n - 1 - (tagColon + 1)) {
            throw refuse.apply(where + ": cannot tell where its tag is written");
        }
        String tag = raw.substring(first, last + 1);
        if (tag.equals(newTag)) {
            return raw;
        }
        return raw.substring(0, first) + newTag + raw.substring(last + 1);
    }

    /** A compose variable reference: $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, ... */
    static final class Var {
        int start;
        int end;
        String name;
        boolean hasDefault;
        String word = "";
        int wordStart = -1;

        static Var braced(String raw, int start, int end) {
            Var v = new Var();
            v.start = start;
            v.end = end;
            int closing = end - 1;
            String inner = closing > start + 2 && raw.charAt(closing) == '}'
                    ? raw.substring(start + 2, closing) : raw.substring(start + 2, end);
            int k = 0;
            while (k < inner.length() && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) {
                k++;
            }
            v.name = inner.substring(0, k);
            String rest = inner.substring(k);
            String op = rest.startsWith(":-") ? ":-" : rest.startsWith("-") ? "-" : null;
            if (op != null && raw.charAt(closing) == '}') {
                v.hasDefault = true;
                v.wordStart = start + 2 + k + op.length();
                v.word = raw.substring(v.wordStart, closing);
            }
            if (v.name.isEmpty()) {
                v.name = raw.substring(start, end);
            }
            return v;
        }
    }
}
