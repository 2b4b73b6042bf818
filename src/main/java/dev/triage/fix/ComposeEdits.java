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
import dev.triage.fix.ComposeDocument.Block;
import dev.triage.fix.ComposeDocument.Edits;
import dev.triage.fix.ComposeDocument.Entry;
import dev.triage.fix.ComposeImages.ImageText;
import dev.triage.fix.ComposeImages.Var;
import dev.triage.fix.ComposeScalars.Key;
import dev.triage.fix.ComposeScalars.Kind;
import dev.triage.fix.ComposeScalars.Scalar;

/**
 * Minimal text edits of a docker compose file: only the lines that must change are changed, every
 * other byte (comments, quoting, key order, blank lines, CRLF line endings, a missing final newline)
 * stays as it was, so the preview of a fix is an exact diff.
 *
 * <p>Each operation returns the new text, or the very same text when there is nothing to change (so
 * applying an operation twice changes nothing the second time). When an edit cannot be made safely
 * (YAML flow style, anchors, aliases or merge keys in the block to edit, tab indentation, an image
 * pinned by digest, ...) it throws {@link IllegalArgumentException} with a message an administrator
 * can act on, so the caller can print the change for them to make by hand.
 *
 * <p>After every edit the result is parsed again (Jackson YAML) and compared with the parsed original
 * plus the intended change; any other difference anywhere in the file makes the operation throw
 * instead of returning a broken file.
 *
 * <p>Choices a caller must know:
 * <ul>
 * <li>Container paths are compared without trailing slashes: {@code /var/mail-state/} and
 *     {@code /var/mail-state} are one path.</li>
 * <li>When the last entry of an {@code environment:} or {@code volumes:} block is removed, the key
 *     stays and becomes {@code environment: []} (or {@code {}} for the map form, {@code volumes: []}):
 *     a key with nothing under it reads as null, which {@code docker compose} rejects
 *     ("services.x.environment must be a mapping").</li>
 * <li>Comments inside an edited block are kept, even those next to a removed entry.</li>
 * <li>{@link #unsetEnvironment} edits the compose file only; a variable set through
 *     {@code env_file:} is not touched.</li>
 * <li>{@link #setImageTag} with a tag written as {@code ${VAR:-default}} changes the default only:
 *     a value of VAR set in the .env file or the environment still wins.</li>
 * </ul>
 */
public final class ComposeEdits {

    private ComposeEdits() { }

    // ------------------------------------------------------------------------------------------------
    // 1. environment

    /**
     * Removes every occurrence of the variable {@code key} from {@code services.<service>.environment},
     * list form ({@code - KEY=value}, quoted, or bare {@code - KEY}) or map form ({@code KEY: value},
     * {@code KEY:}, quoted keys). Returns {@code text} itself when the variable is not there.
     */
    public static String unsetEnvironment(String text, String service, String key) {
        Objects.requireNonNull(service, "service");
        if (key == null || key.isBlank() || key.indexOf('=') >= 0 || hasLineBreak(key)) {
            throw new IllegalArgumentException("not an environment variable name: " + quoteForMessage(key));
        }
        String todo = "remove the variable " + key + " from services." + service + ".environment";
        ComposeDocument c = ComposeDocument.open(text, todo);
        Block svc = c.service(service);
        Map<String, Block> props = c.properties(svc);
        Block env = props.get("environment");
        JsonNode envNode = c.serviceNode(service).get("environment");
        if (env == null) {
            if (props.containsKey("<<")) {
                throw c.refuse("service " + service + " has no environment: of its own but takes settings from a YAML"
                        + " merge key (<<, " + lineRef(props.get("<<").keyLine) + "); " + key + " may come from there");
            }
            if (envNode != null) {
                throw c.refuse("could not find the environment: key of service " + service + " in the text");
            }
            return text;
        }
        Scalar value = c.value(env);
        switch (value.kind) {
            case NONE:
                break;
            case FLOW:
                if (!envHas(envNode, key)) {
                    return text;
                }
                throw c.refuse(c.at(env.keyLine) + " writes the environment in YAML flow style ([...] or {...}),"
                        + " which this tool does not edit");
            default:
                throw c.refuse(c.at(env.keyLine) + c.kindProblem(value.kind, "the environment"));
        }
        List<Entry> entries = c.entries(env);
        if (entries.isEmpty()) {
            if (envHas(envNode, key)) {
                throw c.refuse("could not read the environment of service " + service);
            }
            return text;
        }
        boolean list = entries.get(0).seq;
        if (list ? !(envNode instanceof ArrayNode) : !(envNode instanceof ObjectNode)) {
            throw c.refuse("the environment of service " + service + " did not read as a " + (list ? "list" : "map"));
        }
        List<Integer> hits = new ArrayList<>();
        for (int k = 0; k < entries.size(); k++) {
            Entry e = entries.get(k);
            String name;
            if (list) {
                int col = c.contentCol(e);
                if (col < 0) {
                    throw c.refuse(c.at(e.first) + " is a list item that is not a plain NAME=value string");
                }
                Scalar s = Scalar.parse(c.line(e.first), col);
                if (!s.isString()) {
                    throw c.refuse(c.at(e.first) + c.kindProblem(s.kind, "an environment entry"));
                }
                name = envName(s.value);
            } else {
                Key k2 = Key.parse(c.line(e.first), e.indent);
                if (k2 == null) {
                    throw c.refuse(c.at(e.first) + " is not a NAME: value line");
                }
                if (k2.name.equals("<<") || k2.name.startsWith("&") || k2.name.startsWith("*")) {
                    throw c.refuse(c.at(e.first) + " uses a YAML merge key, anchor or alias in the environment");
                }
                Scalar s = Scalar.parse(c.line(e.first), k2.colonEnd);
                if (s.kind == Kind.ANCHOR || s.kind == Kind.ALIAS) {
                    throw c.refuse(c.at(e.first) + c.kindProblem(s.kind, "an environment value"));
                }
                name = k2.name;
            }
            if (name.equals(key)) {
                hits.add(k);
            }
        }
        // the same entries, found in the parsed file
        List<Integer> treeHits = new ArrayList<>();
        if (list) {
            if (envNode.size() != entries.size()) {
                throw c.refuse("the environment of service " + service + " has " + envNode.size()
                        + " entries but " + entries.size() + " were found in the text");
            }
            for (int k = 0; k < envNode.size(); k++) {
                JsonNode el = envNode.get(k);
                if (el.isTextual() && envName(el.asText()).equals(key)) {
                    treeHits.add(k);
                }
            }
        } else if (envNode.has(key)) {
            treeHits = hits;
        }
        if (!treeHits.equals(hits)) {
            throw c.refuse("the entries for " + key + " found in the text do not match the parsed file");
        }
        if (hits.isEmpty()) {
            return text;
        }
        Edits edits = new Edits();
        for (int k : hits) {
            edits.delete(entries.get(k).first, entries.get(k).end);
        }
        if (hits.size() == entries.size()) {
            edits.replace(env.keyLine, c.emptied(env, list ? "[]" : "{}"));
        }
        String result = c.apply(edits);
        return c.verify(result, root -> {
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

    private static boolean envHas(JsonNode env, String key) {
        if (env instanceof ObjectNode) {
            return env.has(key);
        }
        if (env instanceof ArrayNode) {
            for (JsonNode el : env) {
                if (el.isTextual() && envName(el.asText()).equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String envName(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    // ------------------------------------------------------------------------------------------------
    // 2. and 3. volumes

    /**
     * Removes from {@code services.<service>.volumes} every entry whose container path is
     * {@code target} (short syntax {@code SOURCE:TARGET[:MODE]} or long syntax with {@code target:}).
     * Trailing slashes do not count. Returns {@code text} itself when no entry mounts there.
     */
    public static String removeVolume(String text, String service, String target) {
        Objects.requireNonNull(service, "service");
        String path = containerPath(target);
        String todo = "remove the volume mounted at " + target + " from services." + service + ".volumes";
        ComposeDocument c = ComposeDocument.open(text, todo);
        Block svc = c.service(service);
        Volumes v = c.volumes(svc, service);
        if (v == null) {
            return text;
        }
        List<Integer> hits = v.matching(path);
        if (hits.isEmpty()) {
            return text;
        }
        Edits edits = new Edits();
        for (int k : hits) {
            Volume vol = v.items.get(k);
            edits.delete(vol.entry.first, vol.entry.end);
        }
        if (hits.size() == v.items.size()) {
            edits.replace(v.block.keyLine, c.emptied(v.block, "[]"));
        }
        String result = c.apply(edits);
        return c.verify(result, root -> {
            ArrayNode array = (ArrayNode) root.get("services").get(service).get("volumes");
            for (int i = hits.size() - 1; i >= 0; i--) {
                array.remove(hits.get(i));
            }
        });
    }

    /**
     * Points the volume mounted at {@code target} in {@code services.<service>.volumes} at the host
     * directory {@code newSource} (an absolute path or one starting with {@code ./}). Short syntax: the
     * part before the first {@code :} is replaced and a mode suffix such as {@code :ro} is kept; long
     * syntax: the value of {@code source:}. Quoting stays as it was. Refused for a named or anonymous
     * volume (long syntax {@code type: volume}, or a short-syntax source that is not a path): making it
     * a bind mount is a different change.
     */
    public static String replaceVolumeSource(String text, String service, String target, String newSource) {
        Objects.requireNonNull(service, "service");
        String path = containerPath(target);
        checkNewSource(newSource);
        String todo = "in services." + service + ".volumes, set the source of the volume mounted at " + target
                + " to " + newSource;
        ComposeDocument c = ComposeDocument.open(text, todo);
        Block svc = c.service(service);
        Volumes v = c.volumes(svc, service);
        List<Integer> hits = v == null ? List.of() : v.matching(path);
        if (hits.isEmpty()) {
            throw new IllegalArgumentException("service " + service + " has no volume mounted at " + target
                    + (v == null ? " (it has no volumes: of its own)" : "; its volumes mount " + v.targets()));
        }
        if (hits.size() > 1) {
            throw c.refuse("service " + service + " mounts " + target + " more than once ("
                    + lineRef(v.items.get(hits.get(0)).entry.first) + " and "
                    + lineRef(v.items.get(hits.get(1)).entry.first) + ")");
        }
        int index = hits.get(0);
        Volume vol = v.items.get(index);
        Edits edits = new Edits();
        String expectedShort = null;
        if (!vol.longSyntax) {
            Scalar s = vol.scalar;
            String line = c.line(vol.entry.first);
            String raw = line.substring(s.innerStart, s.innerEnd);
            if (!raw.equals(s.value)) {
                throw c.refuse(c.at(vol.entry.first) + " uses escape sequences in a quoted string");
            }
            List<Integer> colons = colonsOutsideVariables(raw);
            if (colons.isEmpty()) {
                throw c.refuse(c.at(vol.entry.first) + " is an anonymous volume (no source); making it a bind mount"
                        + " is a different change");
            }
            String source = raw.substring(0, colons.get(0));
            if (isNamedVolume(source)) {
                throw c.refuse(c.at(vol.entry.first) + " mounts the named volume \"" + source
                        + "\", not a host directory; making it a bind mount is a different change");
            }
            if (source.equals(newSource)) {
                return text;
            }
            expectedShort = newSource + raw.substring(colons.get(0));
            edits.replace(vol.entry.first, line.substring(0, s.innerStart) + newSource
                    + line.substring(s.innerStart + colons.get(0)));
        } else {
            if (vol.type == null) {
                throw c.refuse(c.at(vol.entry.first) + " is a long-syntax volume without type:");
            }
            if (!vol.type.value.equals("bind")) {
                throw c.refuse(c.at(vol.entry.first) + " is a volume of type " + vol.type.value
                        + (vol.type.value.equals("volume") ? " (a named volume)" : "")
                        + ", not a bind mount of a host directory; that needs a different change");
            }
            if (vol.source == null || vol.source.kind == Kind.NONE) {
                throw c.refuse(c.at(vol.entry.first) + " is a bind mount without source:");
            }
            String line = c.line(vol.sourceLine);
            if (!line.substring(vol.source.innerStart, vol.source.innerEnd).equals(vol.source.value)) {
                throw c.refuse(c.at(vol.sourceLine) + " uses escape sequences in a quoted string");
            }
            if (vol.source.value.equals(newSource)) {
                return text;
            }
            edits.replace(vol.sourceLine, line.substring(0, vol.source.innerStart) + newSource
                    + line.substring(vol.source.innerEnd));
        }
        String result = c.apply(edits);
        String newShort = expectedShort;
        return c.verify(result, root -> {
            ArrayNode array = (ArrayNode) root.get("services").get(service).get("volumes");
            if (newShort != null) {
                array.set(index, TextNode.valueOf(newShort));
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
                if (ch == '\n' || ch == '\r') {
                    problem = "contains a line break";
                } else if (ch == '"' || ch == '\'') {
                    problem = "contains a quote";
                } else if (ch == '#') {
                    problem = "contains #, which YAML may read as the start of a comment";
                } else if (ch == ':') {
                    problem = "contains :, which separates source and target in a volume";
                } else if (ch == '$') {
                    problem = "contains $, which compose reads as a variable";
                } else if (ch == '\\') {
                    problem = "contains a backslash";
                } else if (Character.isISOControl(ch)) {
                    problem = "contains a control character";
                }
                if (problem != null) {
                    break;
                }
            }
        }
        if (problem != null) {
            throw new IllegalArgumentException("the new volume source " + quoteForMessage(s) + " " + problem);
        }
    }

    /** Named volume in short syntax: a source that is not a path (compose: starts with ., / or ~). */
    private static boolean isNamedVolume(String source) {
        return !(source.startsWith("/") || source.startsWith(".") || source.startsWith("~") || source.startsWith("$"));
    }

    private static String containerPath(String target) {
        if (target == null || target.isBlank() || hasLineBreak(target)) {
            throw new IllegalArgumentException("not a container path: " + quoteForMessage(target));
        }
        return normalizePath(target.strip());
    }

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
    private static List<Integer> colonsOutsideVariables(String s) {
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

    static String treeTarget(JsonNode el) {
        if (el.isTextual()) {
            return normalizePath(shortTarget(el.asText()));
        }
        if (el.isObject() && el.path("target").isValueNode()) {
            return normalizePath(el.path("target").asText());
        }
        return null;
    }

    /** One entry of a service's volumes: list. */
    static final class Volume {
        Entry entry;
        boolean longSyntax;
        Scalar scalar;            // short syntax
        Scalar type;              // long syntax
        Scalar source;
        int sourceLine = -1;
        Scalar target;
        String containerPath;
    }

    static final class Volumes {
        Block block;
        List<Volume> items = new ArrayList<>();

        List<Integer> matching(String path) {
            List<Integer> out = new ArrayList<>();
            for (int k = 0; k < items.size(); k++) {
                if (path.equals(items.get(k).containerPath)) {
                    out.add(k);
                }
            }
            return out;
        }

        String targets() {
            List<String> t = new ArrayList<>();
            items.forEach(v -> t.add(v.containerPath));
            return t.isEmpty() ? "nothing" : String.join(", ", t);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // 4. image tag

    /**
     * Sets the tag of every service image whose repository (the image without its tag) matches
     * {@code repository} to {@code newTag}. Variables in the image are read with their defaults: for
     * {@code ${DOCKER_ORG:-ghcr.io/mailu}/${DOCKER_PREFIX:-}nginx:${MAILU_VERSION:-2.0}} the predicate
     * sees {@code ghcr.io/mailu/nginx} and only the default {@code 2.0} is replaced. A variable without
     * a default is passed to the predicate as written ({@code ${REGISTRY}}). An untagged image gets
     * {@code :newTag} appended. Refused for a matching image pinned by digest or whose tag is a variable
     * without a default (that is set in the .env file). Throws when no service image matches.
     */
    public static String setImageTag(String text, Predicate<String> repository, String newTag) {
        Objects.requireNonNull(repository, "repository");
        if (newTag == null || !DOCKER_TAG.matcher(newTag).matches()) {
            throw new IllegalArgumentException("not an image tag: " + quoteForMessage(newTag));
        }
        String todo = "set the image tag to " + newTag;
        ComposeDocument c = ComposeDocument.open(text, todo);
        Edits edits = new Edits();
        Map<String, String> newImages = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        int matched = 0;
        for (Map.Entry<String, Block> svcEntry : c.services.entrySet()) {
            String name = svcEntry.getKey();
            Block svc = svcEntry.getValue();
            Scalar head = c.value(svc);
            if (head.kind != Kind.NONE) {
                if (head.kind == Kind.FLOW && c.serviceNode(name).path("image").isMissingNode()) {
                    seen.add(name + " (no image)");
                    continue;
                }
                throw c.refuse("service " + name + " (" + lineRef(svc.keyLine) + ")" + c.kindProblem(head.kind, "the service"));
            }
            Map<String, Block> props = c.properties(svc);
            Block image = props.get("image");
            if (image == null) {
                if (props.containsKey("<<")) {
                    throw c.refuse("service " + name + " has no image: of its own but takes settings from a YAML merge key"
                            + " (<<, " + lineRef(props.get("<<").keyLine) + "); its image cannot be checked here");
                }
                seen.add(name + " (no image)");
                continue;
            }
            Scalar s = c.value(image);
            if (!s.isString()) {
                throw c.refuse(c.at(image.keyLine) + c.kindProblem(s.kind, "the image"));
            }
            if (c.hasContent(image)) {
                throw c.refuse(c.at(image.keyLine) + ": the image continues on the next line");
            }
            JsonNode treeImage = c.serviceNode(name).get("image");
            if (treeImage == null || !treeImage.isTextual() || !treeImage.asText().equals(s.value)) {
                throw c.refuse("the image of service " + name + " in the text does not match the parsed file");
            }
            String line = c.line(image.keyLine);
            String raw = line.substring(s.innerStart, s.innerEnd);
            seen.add(name + " (" + s.value + ")");
            ImageText img = ImageText.parse(raw);
            if (!repository.test(img.repository)) {
                continue;
            }
            matched++;
            String where = "service " + name + " (" + lineRef(image.keyLine) + ", image " + s.value + ")";
            if (!raw.equals(s.value)) {
                throw c.refuse(where + " uses escape sequences in a quoted string");
            }
            String newRaw = img.withTag(newTag, where, c);
            if (newRaw.equals(raw)) {
                continue;
            }
            edits.replace(image.keyLine, line.substring(0, s.innerStart) + newRaw + line.substring(s.innerEnd));
            newImages.put(name, newRaw);
        }
        if (matched == 0) {
            throw new IllegalArgumentException("no service in the compose file uses a matching image; services: "
                    + (seen.isEmpty() ? "none" : String.join(", ", seen)));
        }
        if (newImages.isEmpty()) {
            return text;
        }
        String result = c.apply(edits);
        return c.verify(result, root -> newImages.forEach((svc, img) ->
                ((ObjectNode) root.get("services").get(svc)).put("image", img)));
    }
}
