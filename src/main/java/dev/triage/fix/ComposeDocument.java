package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static dev.triage.fix.ComposeLines.*;
import dev.triage.fix.ComposeEdits.Volume;
import dev.triage.fix.ComposeEdits.Volumes;
import dev.triage.fix.ComposeImages.ImageText;
import dev.triage.fix.ComposeImages.Var;
import dev.triage.fix.ComposeScalars.Key;
import dev.triage.fix.ComposeScalars.Kind;
import dev.triage.fix.ComposeScalars.Scalar;

/**
 * A compose file as lines (with their line endings, a BOM, a final newline or not) and its parsed
 * tree: finds the block of a service's key, collects line edits, applies them, and checks the
 * result by parsing it again and comparing with the intended change.
 */
final class ComposeDocument {
    // ------------------------------------------------------------------------------------------------
    // the file, as lines

    /** A key and the lines of its value: [start, end) with trailing blank and comment lines left out. */
    static final class Block {
        final String name;
        final int keyLine;
        final int indent;
        final int colonEnd;
        final int start;
        final int end;

        Block(String name, int keyLine, int indent, int colonEnd, int start, int end) {
            this.name = name;
            this.keyLine = keyLine;
            this.indent = indent;
            this.colonEnd = colonEnd;
            this.start = start;
            this.end = end;
        }

        String name() { return name; }
        int keyLine() { return keyLine; }
        int indent() { return indent; }
        int colonEnd() { return colonEnd; }
        int start() { return start; }
        int end() { return end; }
    }

    /** One list item or map entry of a block: lines [first, end). */
    static final class Entry {
        final int first;
        final int end;
        final int indent;
        final boolean seq;

        Entry(int first, int end, int indent, boolean seq) {
            this.first = first;
            this.end = end;
            this.indent = indent;
            this.seq = seq;
        }

        int first() { return first; }
        int end() { return end; }
        int indent() { return indent; }
        boolean seq() { return seq; }
    }

    static final class Edits {
        final TreeMap<Integer, String> replaced = new TreeMap<>();
        final TreeMap<Integer, Integer> deleted = new TreeMap<>();

        void replace(int line, String content) {
            replaced.put(line, content);
        }

        void delete(int from, int to) {
            deleted.put(from, to);
        }
    }

    final String todo;
    final String bom;
    final List<String> lines = new ArrayList<>();
    final List<String> eols = new ArrayList<>();
    final boolean finalNewline;
    final JsonNode root;
    final int servicesLine;
    final int servicesEnd;
    final LinkedHashMap<String, Block> services = new LinkedHashMap<>();

    private ComposeDocument(String text, String todo) {
        this.todo = todo;
        String body = text;
        if (body.startsWith("\uFEFF")) {
            bom = "\uFEFF";
            body = body.substring(1);
        } else {
            bom = "";
        }
        int start = 0;
        while (start < body.length()) {
            int nl = body.indexOf('\n', start);
            if (nl < 0) {
                String rest = body.substring(start);
                boolean cr = rest.endsWith("\r");
                lines.add(cr ? rest.substring(0, rest.length() - 1) : rest);
                eols.add(cr ? "\r" : "");
                break;
            }
            boolean cr = nl > start && body.charAt(nl - 1) == '\r';
            lines.add(body.substring(start, cr ? nl - 1 : nl));
            eols.add(cr ? "\r\n" : "\n");
            start = nl + 1;
        }
        finalNewline = !eols.isEmpty() && eols.get(eols.size() - 1).endsWith("\n");

        checkTabs();
        JsonNode parsed;
        try {
            parsed = YAML.readTree(body);
        } catch (Exception e) {
            throw refuse("the compose file is not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        root = parsed;
        if (root == null || !root.isObject()) {
            throw refuse("the compose file is not a YAML map of keys");
        }

        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (isContent(line) && indent(line) == 0) {
                Key k = Key.parse(line, 0);
                if (k != null && k.name.equals("services")) {
                    if (found >= 0) {
                        throw refuse("the compose file has two top-level services: keys ("
                                + lineRef(found) + " and " + lineRef(i) + ")");
                    }
                    found = i;
                }
            }
        }
        if (found < 0 || !root.path("services").isObject()) {
            throw refuse("the compose file has no top-level services: section");
        }
        servicesLine = found;
        Scalar head = Scalar.parse(lines.get(found), Key.parse(lines.get(found), 0).colonEnd);
        if (head.kind != Kind.NONE) {
            throw refuse(at(found) + kindProblem(head.kind, "the services section"));
        }
        int end = lines.size();
        for (int i = found + 1; i < lines.size(); i++) {
            if (isContent(lines.get(i)) && indent(lines.get(i)) == 0) {
                end = i;
                break;
            }
        }
        servicesEnd = end;
        for (Block b : children(found + 1, end, 0)) {
            if (services.containsKey(b.name)) {
                throw refuse("service " + b.name + " is defined twice (" + lineRef(services.get(b.name).keyLine)
                        + " and " + lineRef(b.keyLine) + ")");
            }
            services.put(b.name, b);
        }
        Set<String> inTree = new LinkedHashSet<>();
        root.get("services").fieldNames().forEachRemaining(inTree::add);
        if (!inTree.equals(services.keySet())) {
            throw refuse("the services found in the text (" + String.join(", ", services.keySet())
                    + ") differ from those in the parsed file (" + String.join(", ", inTree) + ")");
        }
    }

    static ComposeDocument open(String text, String todo) {
        Objects.requireNonNull(text, "text");
        return new ComposeDocument(text, todo);
    }

    IllegalArgumentException refuse(String reason) {
        return new IllegalArgumentException("Cannot edit the compose file safely: " + reason
                + ". Make the change by hand: " + todo + ".");
    }

    String line(int i) {
        return lines.get(i);
    }

    /** "line 12 (environment: [A=1])" */
    String at(int i) {
        String s = lines.get(i).strip();
        if (s.length() > 80) {
            s = s.substring(0, 77) + "...";
        }
        return lineRef(i) + " (" + s + ")";
    }

    String kindProblem(Kind kind, String what) {
        switch (kind) {
            case FLOW:
                return ": " + what + " is written in YAML flow style ([...] or {...}), which this tool does not edit";
            case ANCHOR:
                return ": " + what + " carries a YAML anchor (&name) that other parts of the file may reuse";
            case ALIAS:
                return ": " + what + " is a YAML alias (*name) of a value defined elsewhere in the file";
            case TAG:
                return ": " + what + " carries a YAML tag (!...)";
            case BLOCK:
                return ": " + what + " is a multi-line block (| or >)";
            case UNCLOSED:
                return ": " + what + " is a quoted string that continues on the next line";
            case NONE:
                return ": " + what + " is empty or continues on the next lines";
            default:
                return ": " + what + " has a form this tool does not read";
        }
    }

    void checkTabs() {
        int scalarIndent = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int sp = indent(line);
            if (scalarIndent >= 0) {
                if (sp > scalarIndent) {
                    continue;
                }
                scalarIndent = -1;
            }
            if (sp < line.length() && line.charAt(sp) == '\t') {
                throw refuse(lineRef(i) + " is indented with a tab; YAML allows only spaces for indentation");
            }
            if (BLOCK_SCALAR_LINE.matcher(line).matches()) {
                scalarIndent = sp;
            }
        }
    }

    Block service(String name) {
        Block b = services.get(name);
        if (b == null) {
            throw new IllegalArgumentException("the compose file has no service \"" + name + "\"; its services are: "
                    + (services.isEmpty() ? "none" : String.join(", ", services.keySet())));
        }
        return b;
    }

    JsonNode serviceNode(String name) {
        return root.get("services").get(name);
    }

    /** The keys of a service, refusing a service that is not a plain block map. */
    Map<String, Block> properties(Block svc) {
        Scalar head = value(svc);
        if (head.kind != Kind.NONE) {
            throw refuse("service " + svc.name + " (" + at(svc.keyLine) + ")" + kindProblem(head.kind, "the service"));
        }
        Map<String, Block> props = new LinkedHashMap<>();
        for (Block b : children(svc.start, svc.end, svc.indent)) {
            Block before = props.put(b.name, b);
            if (before != null) {
                throw refuse("service " + svc.name + " has two " + b.name + ": keys (" + lineRef(before.keyLine)
                        + " and " + lineRef(b.keyLine) + ")");
            }
        }
        return props;
    }

    /** Keys at one indent under a parent at parentIndent, lines [from, to). */
    List<Block> children(int from, int to, int parentIndent) {
        List<Block> out = new ArrayList<>();
        int childIndent = -1;
        Key key = null;
        int keyLine = -1;
        int lastContent = -1;
        for (int i = from; i < to; i++) {
            String line = lines.get(i);
            if (!isContent(line)) {
                continue;
            }
            int ind = indent(line);
            if (childIndent < 0) {
                if (ind <= parentIndent) {
                    throw refuse(at(i) + ": unexpected indentation");
                }
                childIndent = ind;
            }
            if (ind < childIndent) {
                throw refuse(at(i) + ": the indentation does not line up with the lines above");
            }
            if (ind == childIndent) {
                if (isDash(line, ind)) {
                    if (key == null) {
                        throw refuse(at(i) + ": a list item where a key was expected");
                    }
                    lastContent = i; // a list written at its key's own indent
                    continue;
                }
                Key k = Key.parse(line, ind);
                if (k == null) {
                    throw refuse(at(i) + ": expected a key followed by a colon");
                }
                if (key != null) {
                    out.add(new Block(key.name, keyLine, childIndent, key.colonEnd, keyLine + 1, lastContent + 1));
                }
                key = k;
                keyLine = i;
            }
            lastContent = i;
        }
        if (key != null) {
            out.add(new Block(key.name, keyLine, childIndent, key.colonEnd, keyLine + 1, lastContent + 1));
        }
        return out;
    }

    Scalar value(Block b) {
        return Scalar.parse(lines.get(b.keyLine), b.colonEnd);
    }

    boolean hasContent(Block b) {
        for (int i = b.start; i < b.end; i++) {
            if (isContent(lines.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** The list items or map entries under a key. */
    List<Entry> entries(Block b) {
        List<Entry> out = new ArrayList<>();
        int e = -1;
        boolean seq = false;
        int first = -1;
        int lastContent = -1;
        for (int i = b.start; i < b.end; i++) {
            String line = lines.get(i);
            if (!isContent(line)) {
                continue;
            }
            int ind = indent(line);
            if (e < 0) {
                e = ind;
                seq = isDash(line, ind);
                if (ind < b.indent || (ind == b.indent && !seq)) {
                    throw refuse(at(i) + ": unexpected indentation");
                }
            }
            if (ind < e) {
                throw refuse(at(i) + ": the indentation does not line up with the lines above");
            }
            if (ind == e) {
                if (isDash(line, ind) != seq) {
                    throw refuse(at(i) + ": " + b.name + " mixes list items and keys");
                }
                if (first >= 0) {
                    out.add(new Entry(first, lastContent + 1, e, seq));
                }
                first = i;
            }
            lastContent = i;
        }
        if (first >= 0) {
            out.add(new Entry(first, lastContent + 1, e, seq));
        }
        return out;
    }

    /** Column of a list item's content after "- ", or -1 when the dash stands alone. */
    int contentCol(Entry e) {
        String line = lines.get(e.first);
        int i = e.indent + 1;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i >= line.length() || line.charAt(i) == '#' ? -1 : i;
    }

    /** True when an entry has more lines than its first (other than blank and comment lines). */
    boolean continues(Entry e) {
        for (int i = e.first + 1; i < e.end; i++) {
            if (isContent(lines.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** The key line with [] or {} after the colon: what is left when every entry is removed. */
    String emptied(Block b, String empty) {
        String line = lines.get(b.keyLine);
        return line.substring(0, b.colonEnd) + " " + empty + line.substring(b.colonEnd);
    }

    Volumes volumes(Block svc, String service) {
        Map<String, Block> props = properties(svc);
        Block block = props.get("volumes");
        JsonNode tree = serviceNode(service).get("volumes");
        if (block == null) {
            if (props.containsKey("<<")) {
                throw refuse("service " + service + " has no volumes: of its own but takes settings from a YAML"
                        + " merge key (<<, " + lineRef(props.get("<<").keyLine) + ")");
            }
            if (tree != null) {
                throw refuse("could not find the volumes: key of service " + service + " in the text");
            }
            return null;
        }
        Scalar head = value(block);
        if (head.kind == Kind.FLOW) {
            if (tree instanceof ArrayNode && tree.isEmpty()) {
                return null; // volumes: []
            }
            throw refuse(at(block.keyLine) + ": the volumes are written in YAML flow style ([...]),"
                    + " which this tool does not edit");
        }
        if (head.kind != Kind.NONE) {
            throw refuse(at(block.keyLine) + kindProblem(head.kind, "the volumes"));
        }
        List<Entry> entries = entries(block);
        if (entries.isEmpty()) {
            return null; // volumes: with nothing under it
        }
        if (!entries.get(0).seq || !(tree instanceof ArrayNode)) {
            throw refuse(at(block.keyLine) + ": the volumes of service " + service + " are not a list");
        }
        Volumes v = new Volumes();
        v.block = block;
        for (Entry e : entries) {
            v.items.add(volume(e));
        }
        if (tree.size() != v.items.size()) {
            throw refuse("service " + service + " has " + tree.size() + " volumes but " + v.items.size()
                    + " were found in the text");
        }
        for (int k = 0; k < v.items.size(); k++) {
            String fromTree = ComposeEdits.treeTarget(tree.get(k));
            if (!Objects.equals(fromTree, v.items.get(k).containerPath)) {
                throw refuse(at(v.items.get(k).entry.first) + ": this volume did not read the same in the parsed file");
            }
        }
        return v;
    }

    Volume volume(Entry e) {
        Volume v = new Volume();
        v.entry = e;
        int col = contentCol(e);
        String line = lines.get(e.first);
        int keyIndent;
        int firstKeyLine;
        if (col < 0) {
            firstKeyLine = -1;
            for (int i = e.first + 1; i < e.end; i++) {
                if (isContent(lines.get(i))) {
                    firstKeyLine = i;
                    break;
                }
            }
            if (firstKeyLine < 0) {
                throw refuse(at(e.first) + ": an empty volume entry");
            }
            keyIndent = indent(lines.get(firstKeyLine));
        } else if (Key.parse(line, col) != null) {
            firstKeyLine = e.first;
            keyIndent = col;
        } else {
            Scalar s = Scalar.parse(line, col);
            if (!s.isString()) {
                throw refuse(at(e.first) + kindProblem(s.kind, "the volume"));
            }
            if (continues(e)) {
                throw refuse(at(e.first) + ": the volume continues on the next line");
            }
            v.scalar = s;
            v.containerPath = ComposeEdits.normalizePath(ComposeEdits.shortTarget(s.value));
            return v;
        }
        v.longSyntax = true;
        Set<String> keys = new LinkedHashSet<>();
        for (int i = firstKeyLine; i < e.end; i++) {
            String l = lines.get(i);
            if (!isContent(l)) {
                continue;
            }
            int ind = i == e.first ? keyIndent : indent(l);
            if (ind > keyIndent) {
                continue;
            }
            if (ind < keyIndent) {
                throw refuse(at(i) + ": the indentation does not line up with the lines above");
            }
            Key k = Key.parse(l, ind);
            if (k == null) {
                throw refuse(at(i) + ": expected a key of the volume");
            }
            if (k.name.equals("<<")) {
                throw refuse(at(i) + ": the volume uses a YAML merge key");
            }
            if (!keys.add(k.name)) {
                throw refuse(at(i) + ": the volume has " + k.name + ": twice");
            }
            Scalar s = Scalar.parse(l, k.colonEnd);
            if (s.kind == Kind.ANCHOR || s.kind == Kind.ALIAS) {
                throw refuse(at(i) + kindProblem(s.kind, "this value"));
            }
            if (k.name.equals("type") || k.name.equals("source") || k.name.equals("target")) {
                if (!s.isString() && s.kind != Kind.NONE) {
                    throw refuse(at(i) + kindProblem(s.kind, k.name));
                }
                switch (k.name) {
                    case "type" -> v.type = s;
                    case "source" -> {
                        v.source = s;
                        v.sourceLine = i;
                    }
                    default -> v.target = s;
                }
            }
        }
        v.containerPath = v.target == null || v.target.kind == Kind.NONE ? null : ComposeEdits.normalizePath(v.target.value);
        return v;
    }

    String apply(Edits edits) {
        List<String> outLines = new ArrayList<>(lines);
        List<String> outEols = new ArrayList<>(eols);
        edits.replaced.forEach(outLines::set);
        for (Integer from : edits.deleted.descendingKeySet()) {
            int to = edits.deleted.get(from);
            outLines.subList(from, to).clear();
            outEols.subList(from, to).clear();
        }
        if (!finalNewline && !outEols.isEmpty()) {
            int last = outEols.size() - 1;
            outEols.set(last, eols.get(eols.size() - 1));
        }
        StringBuilder sb = new StringBuilder(bom);
        for (int i = 0; i < outLines.size(); i++) {
            sb.append(outLines.get(i)).append(outEols.get(i));
        }
        return sb.toString();
    }

    /** Parses the result and checks that it reads as the original with exactly the intended change. */
    String verify(String result, Consumer<JsonNode> change) {
        JsonNode expected = root.deepCopy();
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
