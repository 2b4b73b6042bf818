package dev.triage.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release number read from an image tag or label: {@code 14.0.0}, {@code v13.3.1}, {@code 2.0},
 * {@code 2024.06.5}, {@code 14.0.0-rc1}. Tags that name no release ({@code latest}, {@code edge},
 * {@code master}, a digest) give no version: callers must say "unknown", never guess.
 */
public record ReleaseVersion(List<Integer> parts, String text) implements Comparable<ReleaseVersion> {
    private static final Pattern VERSION = Pattern.compile("v?(\\d{1,6}(?:\\.\\d{1,6}){0,3})(?:[-+._][A-Za-z0-9.+-]*)?");

    public static Optional<ReleaseVersion> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = VERSION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        List<Integer> parts = new ArrayList<>();
        for (String p : m.group(1).split("\\.")) {
            parts.add(Integer.parseInt(p));
        }
        return Optional.of(new ReleaseVersion(List.copyOf(parts), text.strip()));
    }

    /** Missing parts count as 0: 2024.06 == 2024.06.0, and 2.0 < 2024.06. */
    @Override
    public int compareTo(ReleaseVersion o) {
        for (int i = 0; i < Math.max(parts.size(), o.parts.size()); i++) {
            int a = i < parts.size() ? parts.get(i) : 0;
            int b = i < o.parts.size() ? o.parts.get(i) : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    public boolean atLeast(ReleaseVersion o) {
        return compareTo(o) >= 0;
    }
}
