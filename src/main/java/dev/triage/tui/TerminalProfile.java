package dev.triage.tui;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What the terminal in front of the admin can do, decided once from the environment: the text UI
 * or the line dialog, the charset to write (chosen here, never the JVM's default: on JDK 17 with
 * LANG=C that is US-ASCII and box drawing turns into '?'), and whether colours are wanted.
 */
public record TerminalProfile(Face face, String reason, Charset charset, boolean ascii, boolean color) {

    public enum Face { TEXT_UI, LINE }

    /**
     * @param plain the --plain flag
     * @param tty   whether a terminal is attached (a console, and /dev/tty opens)
     */
    public static TerminalProfile decide(Map<String, String> env, boolean plain, boolean tty) {
        boolean utf8 = utf8(env);
        Charset charset = utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        boolean color = env.getOrDefault("NO_COLOR", "").isEmpty(); // https://no-color.org: any non-empty value
        String term = env.getOrDefault("TERM", "");
        Face face = Face.TEXT_UI;
        String reason = "a terminal that can show the text UI";
        if (plain) {
            face = Face.LINE;
            reason = "--plain";
        } else if (!tty) {
            face = Face.LINE;
            reason = "no terminal attached (ssh without -t, cron, a pipe)";
        } else if (term.isEmpty() || term.equals("dumb")) {
            face = Face.LINE;
            reason = "TERM=" + (term.isEmpty() ? "(unset)" : term);
        }
        return new TerminalProfile(face, reason, charset, !utf8, color);
    }

    /** The locale's charset as the C library reads it: LC_ALL, then LC_CTYPE, then LANG. */
    static boolean utf8(Map<String, String> env) {
        for (String key : new String[]{"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.getOrDefault(key, "");
            if (!v.isEmpty()) {
                String lower = v.toLowerCase(Locale.ROOT);
                return lower.contains("utf-8") || lower.contains("utf8");
            }
        }
        return false;
    }
}
