package dev.triage.wizard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Help texts and text art, kept as files under assets/ (in the jar as /assets/...) so that they are
 * edited as text, not as Java strings. A help file has sections headed [name].
 */
public final class HelpText {
    private HelpText() { }

    /** The whole file, lines as written; a missing file is a packaging bug, said as such. */
    public static List<String> lines(String path) {
        try (InputStream in = HelpText.class.getResourceAsStream("/assets/" + path)) {
            if (in == null) {
                return List.of("(help text assets/" + path + " is missing from this build)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return List.of(text.stripTrailing().split("\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sections of a help file by name, each without its heading. */
    public static Map<String, List<String>> sections(String path) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines(path)) {
            if (line.startsWith("[") && line.endsWith("]") && line.length() > 2) {
                current = new ArrayList<>();
                out.put(line.substring(1, line.length() - 1), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        out.values().forEach(l -> {
            while (!l.isEmpty() && l.get(l.size() - 1).isBlank()) {
                l.remove(l.size() - 1);
            }
        });
        return out;
    }
}
