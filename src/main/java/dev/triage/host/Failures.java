package dev.triage.host;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What went wrong, in words a person reads: "connection refused", "address already in use", never
 * a Java class name such as {@code java.net.BindException}. The class and its stack go to the log.
 */
public final class Failures {
    /** A Java class name with its package ({@code org.apache.hc.client5.http.HttpHostConnectException}), and the ": " after it. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_]*(?:Exception|Error))\\b(?::\\s*)?");

    private Failures() { }

    /** The failure of {@code e} in words: what happened (from its kind), then its own message without class names. */
    public static String words(Throwable e) {
        if (e == null) {
            return "failed";
        }
        String kind = null;
        String detail = null; // the outermost message: it usually names what was tried
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (kind == null) {
                kind = kind(t);
            }
            if (detail == null && t.getMessage() != null && !t.getMessage().isBlank()) {
                detail = t.getMessage();
            }
        }
        String text = detail == null ? "" : withoutClassNames(detail).strip().replaceAll("\\s+", " ");
        if (kind == null) {
            return text.isEmpty() ? describe(e.getClass().getSimpleName()) : text;
        }
        if (text.isEmpty() || text.toLowerCase(Locale.ROOT).contains(kind)) {
            return text.isEmpty() ? kind : text;
        }
        return kind + " (" + text + ")";
    }

    /** Text with every Java class name replaced by what it means (or left out when it means nothing more). */
    public static String withoutClassNames(String text) {
        if (text == null) {
            return null;
        }
        var m = CLASS_NAME.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String words = KNOWN.getOrDefault(m.group(1), "");
            // said once: "connection refused: ... failed: Connection refused" reads as a stutter
            boolean said = words.isEmpty() || text.substring(m.end()).toLowerCase(Locale.ROOT).contains(words);
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(said ? "" : words + ": "));
        }
        m.appendTail(sb);
        return sb.toString().replaceAll(":\\s*$", "").strip();
    }

    private static final java.util.Map<String, String> KNOWN = java.util.Map.ofEntries(
            java.util.Map.entry("ConnectException", "connection refused"),
            java.util.Map.entry("HttpHostConnectException", "connection refused"),
            java.util.Map.entry("BindException", "address already in use"),
            java.util.Map.entry("NoRouteToHostException", "no route to the host"),
            java.util.Map.entry("PortUnreachableException", "port unreachable"),
            java.util.Map.entry("SocketTimeoutException", "timed out"),
            java.util.Map.entry("ConnectTimeoutException", "timed out"),
            java.util.Map.entry("TimeoutException", "timed out"),
            java.util.Map.entry("UnknownHostException", "the name does not resolve"),
            java.util.Map.entry("NoSuchFileException", "no such file"),
            java.util.Map.entry("FileNotFoundException", "no such file"),
            java.util.Map.entry("AccessDeniedException", "permission denied"),
            java.util.Map.entry("EOFException", "the connection ended early"),
            java.util.Map.entry("SSLHandshakeException", "the TLS handshake failed"),
            java.util.Map.entry("SocketException", "network error"));

    private static String kind(Throwable t) {
        if (t instanceof BindException) {
            return "address already in use";
        }
        if (t instanceof ConnectException) { // HttpHostConnectException is one
            return "connection refused";
        }
        if (t instanceof NoRouteToHostException) {
            return "no route to the host";
        }
        if (t instanceof PortUnreachableException) {
            return "port unreachable";
        }
        if (t instanceof SocketTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        if (t instanceof UnknownHostException) {
            return "the name does not resolve";
        }
        if (t instanceof NoSuchFileException) {
            return "no such file";
        }
        if (t instanceof AccessDeniedException) {
            return "permission denied";
        }
        return null;
    }

    /** "IllegalStateException" as "illegal state" (a last resort: an exception without a message). */
    private static String describe(String simpleName) {
        String words = simpleName.replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return words.isBlank() ? "failed" : words + " (no further detail; see the log)";
    }
}
