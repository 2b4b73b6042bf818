package dev.triage.fix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.List;
import java.util.Objects;

import static dev.triage.fix.ComposeText.lineRef;
import static dev.triage.fix.ComposeText.quoteForMessage;

/** The compose edit "point a volume at another host directory" (see {@link ComposeEdits#replaceVolumeSource}). */
final class ComposeVolumeSource {

    private ComposeVolumeSource() { }

    static String apply(String text, String service, String target, String newSource) {
        Objects.requireNonNull(service, "service");
        String path = ComposeVolumes.containerPath(target);
        checkNewSource(newSource);
        ComposeNodes c = ComposeNodes.open(text, "in services." + service + ".volumes, set the source of the volume"
                + " mounted at " + target + " to " + newSource);
        ComposeVolumes v = ComposeVolumes.read(c, service);
        List<Integer> hits = v == null ? List.of() : v.matching(path);
        if (hits.isEmpty()) {
            throw new IllegalArgumentException("service " + service + " has no volume mounted at " + target
                    + (v == null ? " (it has no volumes: of its own)" : "; its volumes mount " + v.targets()));
        }
        if (hits.size() > 1) {
            throw c.refuse("service " + service + " mounts " + target + " more than once ("
                    + lineRef(c.text.lineOf(v.items.get(hits.get(0)).entry().start())) + " and "
                    + lineRef(c.text.lineOf(v.items.get(hits.get(1)).entry().start())) + ")");
        }
        v.checkEditable(c, hits);
        int index = hits.get(0);
        ComposeVolumes.Volume vol = v.items.get(index);
        String where = c.at(vol.entry().start());
        ComposeText.Edits edits = c.text.edits();
        String newShort = null;
        if (vol.shortSyntax() != null) {
            int[] inner = c.inner(vol.shortSyntax(), where);
            String raw = c.text.text.substring(inner[0], inner[1]);
            List<Integer> colons = ComposeVolumes.colonsOutsideVariables(raw);
            if (colons.isEmpty()) {
                throw c.refuse(where + " is an anonymous volume (no source); making it a bind mount is a different change");
            }
            String source = raw.substring(0, colons.get(0));
            if (ComposeVolumes.isNamedVolume(source)) {
                throw c.refuse(where + " mounts the named volume \"" + source
                        + "\", not a host directory; making it a bind mount is a different change");
            }
            if (source.equals(newSource)) {
                return text;
            }
            newShort = newSource + raw.substring(colons.get(0));
            edits.replace(inner[0], inner[0] + colons.get(0), newSource);
        } else {
            String type = vol.type();
            if (type == null) {
                throw c.refuse(where + " is a long-syntax volume without type:");
            }
            if (!type.equals("bind")) {
                throw c.refuse(where + " is a volume of type " + type + (type.equals("volume") ? " (a named volume)" : "")
                        + ", not a bind mount of a host directory; that needs a different change");
            }
            NodeTuple source = vol.longSyntax().get("source");
            if (source == null || !(source.getValueNode() instanceof ScalarNode s) || ComposeNodes.isEmpty(s)) {
                throw c.refuse(where + " is a bind mount without source:");
            }
            String sourceAt = c.at(source.getKeyNode());
            String problem = c.problem(s, c.end(source.getKeyNode()), "its source");
            if (problem != null) {
                throw c.refuse(sourceAt + ": " + problem);
            }
            int[] inner = c.inner(s, sourceAt);
            if (s.getValue().equals(newSource)) {
                return text;
            }
            edits.replace(inner[0], inner[1], newSource);
        }
        String expectedShort = newShort;
        return c.verify(edits.apply(), root -> {
            ArrayNode array = (ArrayNode) root.get("services").get(service).get("volumes");
            if (expectedShort != null) {
                array.set(index, TextNode.valueOf(expectedShort));
            } else {
                ((ObjectNode) array.get(index)).put("source", newSource);
            }
        });
    }

    private static void checkNewSource(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("the new volume source is empty");
        }
        String problem = null;
        if (!(s.startsWith("/") || s.startsWith("./"))) {
            problem = "must be an absolute path or start with ./";
        } else if (!s.equals(s.strip())) {
            problem = "starts or ends with white space";
        } else {
            for (char ch : s.toCharArray()) {
                problem = switch (ch) {
                    case '\n', '\r' -> "contains a line break";
                    case '"', '\'' -> "contains a quote";
                    case '#' -> "contains #, which YAML may read as the start of a comment";
                    case ':' -> "contains :, which separates source and target in a volume";
                    case '$' -> "contains $, which compose reads as a variable";
                    case '\\' -> "contains a backslash";
                    default -> Character.isISOControl(ch) ? "contains a control character" : null;
                };
                if (problem != null) {
                    break;
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("the new volume source " + quoteForMessage(s) + " " + problem);
        }
    }
}
