package dev.triage.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean" for a mistyped name, as git does: the known names within a small edit distance. */
final class DidYouMean {
    private DidYouMean() { }

    /** The closest known names (at most three), nearest first; empty when none is close. */
    static List<String> of(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, t.length() / 3);
        return known.stream()
                .filter(k -> distance(t, k.toLowerCase(Locale.ROOT)) <= limit || k.toLowerCase(Locale.ROOT).startsWith(t) && t.length() >= 3)
                .sorted(Comparator.comparingInt((String k) -> distance(t, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .limit(3).toList();
    }

    /** " Did you mean 'x'?" (or 'x' or 'y'), or "" when nothing is close. */
    static String sentence(String typed, Collection<String> known) {
        List<String> close = of(typed, known);
        if (close.isEmpty()) {
            return "";
        }
        return " Did you mean '" + String.join("' or '", close) + "'?";
    }

    /** Levenshtein distance with adjacent swaps counted as one edit (Damerau, restricted). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
