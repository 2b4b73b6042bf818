package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.triage.fix.ComposeText.hasLineBreak;
import static dev.triage.fix.ComposeText.quoteForMessage;

/** The compose edit "remove a variable from services.SERVICE.environment" (see {@link ComposeEdits#unsetEnvironment}). */
final class ComposeUnsetEnv {

    private ComposeUnsetEnv() { }

    static String apply(String text, String service, String key) {
        Objects.requireNonNull(service, "service");
        if (key == null || key.isBlank() || key.indexOf('=') >= 0 || hasLineBreak(key)) {
            throw new IllegalArgumentException("not an environment variable name: " + quoteForMessage(key));
        }
        ComposeNodes c = ComposeNodes.open(text, "remove the variable " + key + " from services." + service + ".environment");
        Map<String, NodeTuple> props = c.properties(service);
        NodeTuple env = props.get("environment");
        if (env == null) {
            String merged = c.mergedFrom(props, service, "environment");
            if (merged != null) {
                throw c.refuse(merged + "; " + key + " may come from there");
            }
            return text;
        }
        Node value = env.getValueNode();
        if (ComposeNodes.isEmpty(value)) {
            return text;
        }
        boolean list = value instanceof SequenceNode;
        if (!list && !(value instanceof MappingNode)) {
            throw c.refuse(c.at(env.getKeyNode()) + ": the environment of service " + service + " is not a list or a map");
        }
        List<ComposeNodes.Entry> entries = c.entries(value);
        List<Integer> hits = new ArrayList<>();
        for (ComposeNodes.Entry e : entries) {
            if (!list && ComposeNodes.isMergeKey(e.key())) {
                throw c.refuse(c.at(e.key()) + ": the environment uses a YAML merge key (<<); " + key
                        + " may come from there");
            }
            Node named = list ? e.value() : e.key();
            if (!(named instanceof ScalarNode s)) {
                throw c.refuse(c.at(e.start()) + (list ? " is a list item that is not a plain NAME=value string"
                        : " is not a NAME: value entry"));
            }
            if ((list ? envName(s.getValue()) : s.getValue()).equals(key)) {
                hits.add(e.index());
            }
        }
        if (hits.isEmpty()) {
            return text;
        }
        String problem = c.problem(value, c.end(env.getKeyNode()), "the environment");
        if (problem != null) {
            throw c.refuse(c.at(env.getKeyNode()) + ": " + problem);
        }
        ComposeText.Edits edits = c.text.edits();
        for (int k : hits) {
            ComposeNodes.Entry e = entries.get(k);
            int[] lines = c.entryLines(e, "the entry");
            edits.deleteLines(lines[0], lines[1]);
        }
        if (hits.size() == entries.size()) {
            // a key with nothing under it reads as null, which docker compose rejects
            edits.insert(c.colonAfter(env.getKeyNode()) + 1, list ? " []" : " {}");
        }
        return c.verify(edits.apply(), root -> {
            JsonNode node = root.get("services").get(service).get("environment");
            if (node instanceof ArrayNode array) {
                for (int i = hits.size() - 1; i >= 0; i--) {
                    array.remove(hits.get(i));
                }
            } else {
                ((ObjectNode) node).remove(key);
            }
        });
    }

    static String envName(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }
}
