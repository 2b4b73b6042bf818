package dev.triage.fix;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.triage.fix.ComposeText.hasLineBreak;
import static dev.triage.fix.ComposeText.quoteForMessage;

/**
 * A service's {@code volumes:} list read from the node tree, for the volume edits: each entry's
 * container path (short syntax {@code SOURCE:TARGET[:MODE]} or long syntax with {@code target:}),
 * and why the list or an entry cannot be edited in place.
 */
final class ComposeVolumes {

    /** One entry of the list; {@code problem} is why it cannot be edited in place, or null. */
    record Volume(ComposeNodes.Entry entry, ScalarNode shortSyntax, Map<String, NodeTuple> longSyntax,
                  String containerPath, String problem) {

        String type() {
            NodeTuple t = longSyntax.get("type");
            return t != null && t.getValueNode() instanceof ScalarNode s && !ComposeNodes.isEmpty(s) ? s.getValue() : null;
        }
    }

    final NodeTuple key;
    final List<Volume> items = new ArrayList<>();
    /** Why the list itself cannot be edited in place, or null. */
    final String problem;

    private ComposeVolumes(NodeTuple key, String problem) {
        this.key = key;
        this.problem = problem;
    }

    /** The volumes of a service, or null when it has none of its own. */
    static ComposeVolumes read(ComposeNodes c, String service) {
        Map<String, NodeTuple> props = c.properties(service);
        NodeTuple key = props.get("volumes");
        if (key == null) {
            String merged = c.mergedFrom(props, service, "volumes");
            if (merged != null) {
                throw c.refuse(merged);
            }
            return null;
        }
        Node value = key.getValueNode();
        if (ComposeNodes.isEmpty(value)) {
            return null; // volumes: with nothing under it
        }
        if (!(value instanceof SequenceNode seq)) {
            throw c.refuse(c.at(key.getKeyNode()) + ": the volumes of service " + service + " are not a list");
        }
        if (seq.getValue().isEmpty()) {
            return null; // volumes: []
        }
        ComposeVolumes v = new ComposeVolumes(key, c.problem(value, c.end(key.getKeyNode()), "the volumes"));
        for (ComposeNodes.Entry e : c.entries(value)) {
            Node item = e.value();
            String problem = c.problem(item, e.notBefore(), "this volume");
            if (item instanceof ScalarNode s && !ComposeNodes.isEmpty(s)) {
                v.items.add(new Volume(e, s, null, normalizePath(shortTarget(s.getValue())), problem));
            } else if (item instanceof MappingNode m) {
                Map<String, NodeTuple> keys = c.mapping(m, (k, first, second) -> c.at(e.start())
                        + ": the volume has " + k + ": twice");
                if (problem == null && keys.containsKey("<<")) {
                    problem = "the volume uses a YAML merge key";
                }
                NodeTuple target = keys.get("target");
                String path = target != null && target.getValueNode() instanceof ScalarNode t && !ComposeNodes.isEmpty(t)
                        ? normalizePath(t.getValue()) : null;
                v.items.add(new Volume(e, null, keys, path, problem));
            } else {
                throw c.refuse(c.at(e.start()) + ": a volume that is neither SOURCE:TARGET nor a map of settings");
            }
        }
        return v;
    }

    List<Integer> matching(String path) {
        List<Integer> out = new ArrayList<>();
        for (Volume v : items) {
            if (path.equals(v.containerPath())) {
                out.add(v.entry().index());
            }
        }
        return out;
    }

    String targets() {
        List<String> t = new ArrayList<>();
        items.forEach(v -> t.add(String.valueOf(v.containerPath())));
        return t.isEmpty() ? "nothing" : String.join(", ", t);
    }

    /** Refuses when the list or one of the entries to edit cannot be edited in place. */
    void checkEditable(ComposeNodes c, List<Integer> hits) {
        if (problem != null) {
            throw c.refuse(c.at(key.getKeyNode()) + ": " + problem);
        }
        for (int k : hits) {
            Volume vol = items.get(k);
            if (vol.problem() != null) {
                throw c.refuse(c.at(vol.entry().start()) + ": " + vol.problem());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // paths

    static String containerPath(String target) {
        if (target == null || target.isBlank() || hasLineBreak(target)) {
            throw new IllegalArgumentException("not a container path: " + quoteForMessage(target));
        }
        return normalizePath(target.strip());
    }

    /** Container paths are compared without trailing slashes. */
    static String normalizePath(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Container path of a short-syntax volume string: SOURCE:TARGET[:MODE], or TARGET alone. */
    static String shortTarget(String value) {
        List<Integer> colons = colonsOutsideVariables(value);
        if (colons.isEmpty()) {
            return value;
        }
        int end = colons.size() > 1 ? colons.get(1) : value.length();
        return value.substring(colons.get(0) + 1, end);
    }

    /** Positions of ':' that are not inside ${...} (a variable default such as ${ROOT:-/srv}). */
    static List<Integer> colonsOutsideVariables(String s) {
        List<Integer> out = new ArrayList<>();
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (ch == '}' && depth > 0) {
                depth--;
            } else if (ch == ':' && depth == 0) {
                out.add(i);
            }
        }
        return out;
    }

    /** Named volume in short syntax: a source that is not a path (compose: starts with ., / or ~). */
    static boolean isNamedVolume(String source) {
        return !(source.startsWith("/") || source.startsWith(".") || source.startsWith("~") || source.startsWith("$"));
    }
}
