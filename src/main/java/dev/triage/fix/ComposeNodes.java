package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import static dev.triage.fix.ComposeText.firstLine;
import static dev.triage.fix.ComposeText.lineRef;

/**
 * A compose file's YAML node tree (SnakeYAML's, with the parser's own positions) located in its
 * text: where the services and their keys are, the span of every node, and the rules for what may
 * not be edited in place (anchors, aliases, merge keys, tags, flow style, several documents). A
 * refusal says why and ends with the change to make by hand. {@link #verify} is the final guard:
 * the edited text is parsed again and must read as the original plus exactly the intended change.
 */
final class ComposeNodes {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One list item or map entry as written: where it starts and where its last character ends. */
    record Entry(int index, Node key, Node value, int start, int contentEnd, int notBefore) { }

    final ComposeText text;
    final String todo;
    /** The parsed file as the guard compares it. */
    final JsonNode tree;
    private final LinkedHashMap<String, NodeTuple> services;

    private ComposeNodes(String source, String todo) {
        this.todo = todo;
        this.text = new ComposeText(source);
        int cr = text.loneCarriageReturn();
        if (cr >= 0) {
            throw refuse(lineRef(text.lineOf(cr)) + " ends with a lone carriage return (CR), which YAML reads as a"
                    + " line break; convert the file to LF or CRLF line endings first");
        }
        List<Node> docs = new ArrayList<>();
        try {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit(16 * 1024 * 1024);
            for (Node doc : new Yaml(options).composeAll(new StringReader(source))) {
                docs.add(doc);
            }
        } catch (MarkedYAMLException e) {
            throw refuse(parseProblem(e));
        } catch (YAMLException e) {
            throw refuse("the compose file is not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (docs.size() > 1) {
            throw refuse("the file holds " + docs.size() + " YAML documents (the second starts at "
                    + lineRef(line(docs.get(1))) + ", after ---); this tool edits a compose file of one document."
                    + " Split it into one file per document, or make the change by hand in the document that"
                    + " defines the service");
        }
        JsonNode parsed;
        try {
            parsed = YAML.readTree(source.startsWith("\uFEFF") ? source.substring(1) : source);
        } catch (Exception e) {
            throw refuse("the compose file is not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        tree = parsed;
        if (docs.isEmpty() || !(docs.get(0) instanceof MappingNode root) || tree == null || !tree.isObject()) {
            throw refuse("the compose file is not a YAML map of keys");
        }
        if (isFlow(root)) {
            throw refuse("the whole file is written in YAML flow style ({...}), which this tool does not edit");
        }
        NodeTuple found = null;
        for (NodeTuple t : root.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("services")) {
                if (found != null) {
                    throw refuse("the compose file has two top-level services: keys (" + lineRef(line(found.getKeyNode()))
                            + " and " + lineRef(line(k)) + ")");
                }
                found = t;
            }
        }
        if (found == null || !tree.path("services").isObject()) {
            throw refuse("the compose file has no top-level services: section");
        }
        Node value = found.getValueNode();
        String problem = problem(value, end(found.getKeyNode()), "the services section");
        if (problem != null) {
            throw refuse(at(found.getKeyNode()) + ": " + problem);
        }
        services = new LinkedHashMap<>();
        mapping((MappingNode) value, (name, first, second) -> "service " + name + " is defined twice ("
                + lineRef(line(first)) + " and " + lineRef(line(second)) + ")").forEach((name, t) -> {
                    if (isMergeKey(t.getKeyNode())) {
                        throw refuse("the services section takes services from a YAML merge key (<<, "
                                + lineRef(line(t.getKeyNode())) + ")");
                    }
                    services.put(name, t);
                });
    }

    static ComposeNodes open(String text, String todo) {
        Objects.requireNonNull(text, "text");
        return new ComposeNodes(text, todo);
    }

    private String parseProblem(MarkedYAMLException e) {
        if (e.getProblemMark() == null) {
            return "the compose file is not valid YAML (" + firstLine(e.getMessage()) + ")";
        }
        int at = text.charOffset(Math.min(e.getProblemMark().getIndex(), text.text.codePointCount(0, text.text.length())));
        int line = text.lineOf(at);
        if (at < text.text.length() && text.text.charAt(at) == '\t') {
            return lineRef(line) + " is indented with a tab; YAML allows only spaces for indentation";
        }
        return "the compose file is not valid YAML (" + lineRef(line) + ": " + firstLine(e.getProblem()) + ")";
    }

    IllegalArgumentException refuse(String reason) {
        return new IllegalArgumentException("Cannot edit the compose file safely: " + reason
                + ". Make the change by hand: " + todo + ".");
    }

    // ------------------------------------------------------------------------------------------------
    // services and their keys

    Set<String> serviceNames() {
        return Collections.unmodifiableSet(services.keySet());
    }

    NodeTuple service(String name) {
        NodeTuple t = services.get(name);
        if (t == null) {
            throw new IllegalArgumentException("the compose file has no service \"" + name + "\"; its services are: "
                    + (services.isEmpty() ? "none" : String.join(", ", services.keySet())));
        }
        return t;
    }

    JsonNode serviceTree(String name) {
        return tree.get("services").get(name);
    }

    /** The keys of a service that is edited in place: refused when it is not a plain block map of its own. */
    Map<String, NodeTuple> properties(String name) {
        NodeTuple svc = service(name);
        String problem = problem(svc.getValueNode(), end(svc.getKeyNode()), "the service");
        if (problem != null) {
            throw refuse("service " + name + " (" + at(svc.getKeyNode()) + "): " + problem);
        }
        return settings(name);
    }

    /** The keys of a service as parsed (an alias or flow style is read, not refused). */
    Map<String, NodeTuple> settings(String name) {
        Node v = service(name).getValueNode();
        if (isEmpty(v)) {
            return Map.of();
        }
        if (!(v instanceof MappingNode m)) {
            throw refuse("service " + name + " (" + at(service(name).getKeyNode()) + ") is not a map of settings");
        }
        return mapping(m, (key, first, second) -> "service " + name + " has two " + key + ": keys ("
                + lineRef(line(first)) + " and " + lineRef(line(second)) + ")");
    }

    interface Duplicate {
        String message(String key, Node first, Node second);
    }

    /** The entries of a map by key, refusing a key that is not a scalar or comes twice. */
    LinkedHashMap<String, NodeTuple> mapping(MappingNode m, Duplicate duplicate) {
        LinkedHashMap<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw refuse(at(t.getKeyNode()) + ": a key that is not a plain name");
            }
            NodeTuple before = out.put(k.getValue(), t);
            if (before != null) {
                throw refuse(duplicate.message(k.getValue(), before.getKeyNode(), k));
            }
        }
        return out;
    }

    /** The merge key refusal for a key a service does not have of its own, or null. */
    String mergedFrom(Map<String, NodeTuple> props, String service, String key) {
        NodeTuple merge = props.get("<<");
        if (merge == null || !isMergeKey(merge.getKeyNode())) {
            return null;
        }
        return "service " + service + " has no " + key + ": of its own but takes settings from a YAML merge key (<<, "
                + lineRef(line(merge.getKeyNode())) + ")";
    }

    static boolean isMergeKey(Node key) {
        return key instanceof ScalarNode s && s.getValue().equals("<<") && Tag.MERGE.equals(s.getTag());
    }

    // ------------------------------------------------------------------------------------------------
    // spans

    int start(Node n) {
        return text.charOffset(n.getStartMark().getIndex());
    }

    int end(Node n) {
        return text.charOffset(n.getEndMark().getIndex());
    }

    int line(Node n) {
        return text.lineOf(start(n));
    }

    String at(Node n) {
        return text.at(start(n));
    }

    String at(int offset) {
        return text.at(offset);
    }

    static boolean isEmpty(Node n) {
        return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) && s.getValue().isEmpty();
    }

    static boolean isFlow(Node n) {
        return n instanceof CollectionNode<?> c && c.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
    }

    /** A node reached through an alias (*name) is the anchored node written earlier in the file. */
    boolean isAlias(Node n, int notBefore) {
        return start(n) < notBefore;
    }

    /** Where the node is written at this place: itself, or the alias that names it. */
    int startHere(Node n, int notBefore) {
        if (!isAlias(n, notBefore)) {
            return start(n);
        }
        int at = text.text.indexOf("*" + n.getAnchor(), notBefore);
        if (at < 0) {
            throw refuse("could not find the alias *" + n.getAnchor() + " after " + at(notBefore));
        }
        return at;
    }

    /** The end of what is written at this place, without trailing line breaks of a block scalar. */
    int contentEndHere(Node n, int notBefore) {
        if (isAlias(n, notBefore)) {
            return startHere(n, notBefore) + 1 + n.getAnchor().length();
        }
        return contentEnd(n);
    }

    int contentEnd(Node n) {
        if (isFlow(n)) {
            return end(n);
        }
        List<Entry> entries = entries(n);
        if (!entries.isEmpty()) {
            return entries.get(entries.size() - 1).contentEnd();
        }
        int end = end(n);
        int start = start(n);
        if (n instanceof ScalarNode s && (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED)) {
            while (end > start && Character.isWhitespace(text.text.charAt(end - 1))) {
                end--;
            }
        }
        return end;
    }

    /** The items of a list or the entries of a map, each with the span it is written in. */
    List<Entry> entries(Node n) {
        List<Entry> out = new ArrayList<>();
        if (n instanceof MappingNode m) {
            int k = 0;
            for (NodeTuple t : m.getValue()) {
                int keyEnd = end(t.getKeyNode());
                int valueEnd = contentEndHere(t.getValueNode(), keyEnd);
                out.add(new Entry(k++, t.getKeyNode(), t.getValueNode(), start(t.getKeyNode()),
                        Math.max(keyEnd, valueEnd), keyEnd));
            }
        } else if (n instanceof SequenceNode s) {
            int notBefore = start(s);
            int k = 0;
            for (Node item : s.getValue()) {
                int startHere = startHere(item, notBefore);
                int end = contentEndHere(item, notBefore);
                out.add(new Entry(k++, null, item, startHere, end, notBefore));
                notBefore = Math.max(end, startHere);
            }
        }
        return out;
    }

    /** Offset of the colon after a key. */
    int colonAfter(Node key) {
        int i = end(key);
        while (i < text.text.length() && (text.text.charAt(i) == ' ' || text.text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= text.text.length() || text.text.charAt(i) != ':') {
            throw refuse(at(key) + ": could not find the colon after the key");
        }
        return i;
    }

    // ------------------------------------------------------------------------------------------------
    // what is not edited in place

    /** Why the node {@code n}, written after {@code notBefore}, cannot be edited in place; null when it can. */
    String problem(Node n, int notBefore, String what) {
        if (isAlias(n, notBefore)) {
            return what + " is a YAML alias (*" + n.getAnchor() + ") of a value defined at " + lineRef(line(n))
                    + "; editing it would change every place that uses it";
        }
        if (n.getAnchor() != null) {
            return what + " carries a YAML anchor (&" + n.getAnchor() + ") that other parts of the file may reuse";
        }
        if (tagged(n)) {
            return what + " carries a YAML tag (!...)";
        }
        if (isFlow(n)) {
            return what + " is written in YAML flow style ([...] or {...}), which this tool does not edit";
        }
        return null;
    }

    /** An explicit tag (!reset, !!str) written before the node's content. */
    boolean tagged(Node n) {
        String s = text.text;
        int i = start(n);
        while (i < s.length() && (s.charAt(i) == '&' || s.charAt(i) == '!')) {
            if (s.charAt(i) == '!') {
                return true;
            }
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
        return false;
    }

    /** The first anchor defined inside [from, to) under {@code n}, or null: removing it would break its aliases. */
    String anchorInside(Node n, int from, int to) {
        return anchorInside(n, from, to, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private String anchorInside(Node n, int from, int to, Set<Node> seen) {
        if (!seen.add(n)) {
            return null;
        }
        int s = start(n);
        if (n.getAnchor() != null && s >= from && s < to) {
            return n.getAnchor();
        }
        List<Node> children = new ArrayList<>();
        if (n instanceof MappingNode m) {
            m.getValue().forEach(t -> {
                children.add(t.getKeyNode());
                children.add(t.getValueNode());
            });
        } else if (n instanceof SequenceNode q) {
            children.addAll(q.getValue());
        }
        for (Node c : children) {
            String a = anchorInside(c, from, to, seen);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    /**
     * Lines of a list item (with its dash) or map entry, to delete whole: refused when the entry shares
     * a line with other content or defines an anchor.
     */
    int[] entryLines(Entry e, String what) {
        String s = text.text;
        int first = e.start();
        if (e.key() == null) {
            int i = first - 1;
            while (i >= 0 && Character.isWhitespace(s.charAt(i))) {
                i--;
            }
            if (i < 0 || s.charAt(i) != '-') {
                throw refuse(at(first) + ": could not find the dash of this list item");
            }
            first = i;
        }
        int line = text.lineOf(first);
        if (!text.blank(text.lineStart(line), first)) {
            throw refuse(at(first) + ": " + what + " shares its line with other content");
        }
        int end = e.contentEnd();
        if (!text.restIsComment(end)) {
            throw refuse(at(end) + ": " + what + " shares its line with other content");
        }
        String anchor = anchorInside(e.value(), first, end);
        if (anchor != null) {
            throw refuse(at(first) + ": " + what + " defines the YAML anchor &" + anchor
                    + ", which other parts of the file may use");
        }
        return new int[] {line, text.lineOf(Math.max(first, end - 1))};
    }

    /**
     * The text of a one-line plain or quoted scalar between its quotes, as [start, end) offsets; refused
     * when it is written in a way that an edit by position could change its meaning.
     */
    int[] inner(ScalarNode n, String where) {
        int s = start(n);
        int e = end(n);
        String raw = text.text.substring(s, e);
        if (ComposeText.hasLineBreak(raw)) {
            throw refuse(where + " continues on the next line");
        }
        switch (n.getScalarStyle()) {
            case PLAIN:
                break;
            case SINGLE_QUOTED:
            case DOUBLE_QUOTED:
                s++;
                e--;
                break;
            default:
                throw refuse(where + " is a multi-line block (| or >)");
        }
        if (!text.text.substring(s, e).equals(n.getValue())) {
            throw refuse(where + " uses escape sequences in a quoted string");
        }
        return new int[] {s, e};
    }

    // ------------------------------------------------------------------------------------------------
    // the guard

    /** Parses the result and checks that it reads as the original with exactly the intended change. */
    String verify(String result, Consumer<JsonNode> change) {
        JsonNode expected = tree.deepCopy();
        change.accept(expected);
        JsonNode after;
        try {
            after = YAML.readTree(result.startsWith("\uFEFF") ? result.substring(1) : result);
        } catch (Exception e) {
            throw refuse("the edited file would not be valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (!expected.equals(after)) {
            throw refuse("the edited file would not read back with exactly the intended change");
        }
        return result;
    }
}
