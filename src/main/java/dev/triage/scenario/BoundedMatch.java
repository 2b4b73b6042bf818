package dev.triage.scenario;

import java.util.regex.Pattern;

/**
 * Matches a scenario's pattern (written by whoever wrote the file) against a value with a bound on
 * the work: a pattern that backtracks catastrophically, such as {@code (a+)+$}, gives up after a
 * fixed number of steps instead of hanging the input check past any time limit.
 */
public final class BoundedMatch {
    /** Characters the regex engine may look at for one value; a sane pattern on 512 characters needs a few thousand. */
    static final long STEPS = 2_000_000;

    private BoundedMatch() { }

    /** Thrown when the pattern needed more than {@link #STEPS} steps. */
    public static final class TooSlowException extends RuntimeException {
        TooSlowException() {
            super(null, null, false, false);
        }
    }

    /** Whether the whole value matches; throws {@link TooSlowException} past the bound. */
    public static boolean matches(Pattern pattern, String value) {
        return pattern.matcher(new Counting(value, STEPS)).matches();
    }

    /** A character sequence that counts how often it is read, as the regex engine reads it. */
    private static final class Counting implements CharSequence {
        private final String text;
        private final long[] left;

        Counting(String text, long steps) {
            this(text, new long[]{steps});
        }

        private Counting(String text, long[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new TooSlowException();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Counting(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
