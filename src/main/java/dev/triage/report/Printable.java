package dev.triage.report;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The one sanitizer for text from outside (the engine's names, labels and env values, a file's
 * content, a scenario file) before a person sees it: control characters, DEL, C1 controls and
 * bidirectional/invisible format characters become visible escapes ({@code \x1b}, {@code \u202e}),
 * so an env value holding "ESC[2J" cannot clear the screen or hide text. Tabs stay. The command line, the
 * line dialog, the text UI and the Markdown report all use it; JSON escapes by itself.
 */
public final class Printable {
    private Printable() { }

    /** One line: every control character escaped, line breaks included. */
    public static String line(String text) {
        return clean(text, false);
    }

    /** Text that may span lines: line breaks stay, every other control character is escaped. */
    public static String text(String text) {
        return clean(text, true);
    }

    /** Whether the text is shown as it is. */
    public static boolean isPrintable(String text) {
        return text == null || text.equals(text(text));
    }

    private static String clean(String text, boolean keepNewlines) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = null;
            if (c == '\n') {
                replacement = keepNewlines ? null : "\\n";
            } else if (c != '\t' && unsafe(c)) { // a tab moves the cursor only forward: kept, so previews stay exact
                replacement = c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
            }
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                if (replacement != null) {
                    sb.append(replacement);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
            return true; // C0 (ESC, CR, BEL, BS...), DEL, C1 (CSI 0x9b)
        }
        int type = Character.getType(c);
        // bidi overrides and isolates, zero-width and other invisible format characters, line/paragraph separators
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.UNASSIGNED && c >= 0xfff0;
    }

    private static volatile PrintStream out;
    private static volatile PrintStream err;

    /** Standard output for people (never for the --json document, whose strings JSON escapes). */
    public static PrintStream stdout() {
        if (out == null) {
            out = stream(System.out, charset("sun.stdout.encoding"));
        }
        return out;
    }

    /** Standard error, for progress, messages and warnings. */
    public static PrintStream stderr() {
        if (err == null) {
            err = stream(System.err, charset("sun.stderr.encoding"));
        }
        return err;
    }

    private static Charset charset(String property) {
        String name = System.getProperty(property);
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** A stream that shows everything written to it through {@link #text}: for what the CLI and line dialog print. */
    public static PrintStream stream(OutputStream out, Charset charset) {
        return new PrintStream(out, true, charset) {
            @Override
            public void print(String s) {
                super.print(text(String.valueOf(s)));
            }

            @Override
            public void print(Object o) {
                print(String.valueOf(o));
            }

            @Override
            public void print(char c) {
                print(String.valueOf(c));
            }

            @Override
            public void print(char[] s) {
                print(new String(s));
            }

            @Override
            public void println(String s) {
                synchronized (this) {
                    print(s);
                    println();
                }
            }

            @Override
            public void println(Object o) {
                println(String.valueOf(o));
            }

            @Override
            public void println(char[] s) {
                println(new String(s));
            }

            @Override
            public PrintStream append(CharSequence csq) {
                print(String.valueOf(csq));
                return this;
            }

            @Override
            public PrintStream append(CharSequence csq, int start, int end) {
                print(String.valueOf(csq == null ? "null" : csq).subSequence(start, end).toString());
                return this;
            }
        };
    }
}
