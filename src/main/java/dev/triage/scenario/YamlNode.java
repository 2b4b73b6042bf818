package dev.triage.scenario;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the line it came from. Scenario files are read through this rather than
 * straight into Jackson so that every problem can be reported as {@code file:line: message}.
 */
public final class YamlNode {
    public enum Type { SCALAR, MAP, LIST, NULL }

    private final Type type;
    private final int line;
    private final String scalar;
    private final Map<String, YamlNode> map;
    private final List<YamlNode> list;
    private final Map<String, Integer> keyLines;

    private YamlNode(Type type, int line, String scalar, Map<String, YamlNode> map, List<YamlNode> list,
                     Map<String, Integer> keyLines) {
        this.type = type;
        this.line = line;
        this.scalar = scalar;
        this.map = map;
        this.list = list;
        this.keyLines = keyLines;
    }

    /** Past this much text, counting every use of an alias ({@code *name}) in full, a file is refused. */
    static final long MAX_EXPANDED_CHARS = 2L << 20;
    /** Past this many values, counting aliases in full, a file is refused. */
    static final int MAX_EXPANDED_NODES = 200_000;

    /** Aliases that expand past the bounds above ("billion laughs"): the file is refused before anything is built from it. */
    public static final class TooLargeException extends RuntimeException {
        TooLargeException(String message) {
            super(message);
        }
    }

    /** What the conversion has expanded so far, aliases counted each time they are used. */
    private static final class Budget {
        long chars;
        int nodes;

        void spend(int line, long text) {
            chars += text;
            nodes++;
            if (chars > MAX_EXPANDED_CHARS || nodes > MAX_EXPANDED_NODES) {
                throw new TooLargeException("line " + line + ": with its aliases (*name) expanded, the file holds more than "
                        + (MAX_EXPANDED_CHARS >> 20) + " MiB of text or " + MAX_EXPANDED_NODES + " values; a scenario is far smaller");
            }
        }
    }

    /** Parses one YAML document; duplicate keys are reported through {@code problems}. */
    public static YamlNode parse(Reader reader, String file, List<Problem> problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // we report duplicates ourselves, with their line
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(1 << 20);
        Node root = new Yaml(options).compose(reader);
        if (root == null) {
            return new YamlNode(Type.NULL, 1, null, null, null, null);
        }
        return convert(root, file, problems, new Budget());
    }

    private static YamlNode convert(Node node, String file, List<Problem> problems, Budget budget) {
        int line = node.getStartMark().getLine() + 1;
        budget.spend(line, node instanceof ScalarNode s ? s.getValue().length() : 0);
        if (node instanceof ScalarNode s) {
            String tag = s.getTag().getValue();
            if (tag.endsWith(":null") || (s.getValue().isEmpty() && s.getScalarStyle().getChar() == null
                    && tag.endsWith(":null"))) {
                return new YamlNode(Type.NULL, line, null, null, null, null);
            }
            return new YamlNode(Type.SCALAR, line, s.getValue(), null, null, null);
        }
        if (node instanceof SequenceNode seq) {
            List<YamlNode> items = new ArrayList<>();
            for (Node child : seq.getValue()) {
                items.add(convert(child, file, problems, budget));
            }
            return new YamlNode(Type.LIST, line, null, null, items, null);
        }
        MappingNode mapping = (MappingNode) node;
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        Map<String, Integer> keyLines = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            int keyLine = keyNode.getStartMark().getLine() + 1;
            if (!(keyNode instanceof ScalarNode key)) {
                problems.add(new Problem(file, keyLine, "keys must be plain words"));
                continue;
            }
            if (entries.containsKey(key.getValue())) {
                problems.add(new Problem(file, keyLine, "duplicate key '" + key.getValue()
                        + "' (first at line " + keyLines.get(key.getValue()) + ")"));
                continue;
            }
            budget.spend(keyLine, key.getValue().length());
            entries.put(key.getValue(), convert(tuple.getValueNode(), file, problems, budget));
            keyLines.put(key.getValue(), keyLine);
        }
        return new YamlNode(Type.MAP, line, null, entries, null, keyLines);
    }

    public Type type() { return type; }
    public int line() { return line; }
    public boolean isMap() { return type == Type.MAP; }
    public boolean isList() { return type == Type.LIST; }
    public boolean isScalar() { return type == Type.SCALAR; }
    public String scalar() { return scalar; }
    public Map<String, YamlNode> entries() { return map == null ? Map.of() : map; }
    public List<YamlNode> items() { return list == null ? List.of() : list; }
    public YamlNode get(String key) { return map == null ? null : map.get(key); }
    public int keyLine(String key) { return keyLines == null ? line : keyLines.getOrDefault(key, line); }
}
