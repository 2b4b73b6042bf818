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

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern DOCKER_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** A line whose value is a block scalar (| or >): the lines under it are text, not structure. */
    private static final Pattern BLOCK_SCALAR_LINE = Pattern.compile(
            "^\\s*(?:-\\s+)*(?:[^#\\s][^#]*?:\\s+)?(?:&\\S+\\s+)?(?:!\\S*\\s+)?[|>][1-9+-]{0,2}\\s*(?:#.*)?$");

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
        Compose c = Compose.open(text, todo);
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
        Compose c = Compose.open(text, todo);
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
        Compose c = Compose.open(text, todo);
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

    private static String normalizePath(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Container path of a short-syntax volume string: SOURCE:TARGET[:MODE], or TARGET alone. */
    private static String shortTarget(String value) {
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

    private static String treeTarget(JsonNode el) {
        if (el.isTextual()) {
            return normalizePath(shortTarget(el.asText()));
        }
        if (el.isObject() && el.path("target").isValueNode()) {
            return normalizePath(el.path("target").asText());
        }
        return null;
    }

    /** One entry of a service's volumes: list. */
    private static final class Volume {
        Entry entry;
        boolean longSyntax;
        Scalar scalar;            // short syntax
        Scalar type;              // long syntax
        Scalar source;
        int sourceLine = -1;
        Scalar target;
        String containerPath;
    }

    private static final class Volumes {
        Block block;
        List<Volume> items = new ArrayList<>();
        JsonNode tree;

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
        Compose c = Compose.open(text, todo);
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

    /** An image reference as written, with compose variables: [registry/]repository[:tag][@digest]. */
    private static final class ImageText {
        String raw;
        /** The image with ${VAR:-default} expanded to the default; variables without a default as written. */
        StringBuilder expanded = new StringBuilder();
        /** Per character of expanded: its position in raw (-1: not editable there) ... */
        List<Integer> rawPos = new ArrayList<>();
        /** ... the variable it comes from (null: literal text) ... */
        List<Var> from = new ArrayList<>();
        /** ... and whether that variable has no default (its value is unknown). */
        List<Boolean> opaque = new ArrayList<>();
        int tagColon = -1;
        int digestAt = -1;
        String repository;

        static ImageText parse(String raw) {
            ImageText t = new ImageText();
            t.raw = raw;
            int i = 0;
            while (i < raw.length()) {
                char ch = raw.charAt(i);
                if (ch == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '$') {
                    t.add('$', -1, null, false);
                    i += 2;
                } else if (ch == '$' && i + 1 < raw.length() && raw.charAt(i + 1) == '{') {
                    int depth = 1;
                    int j = i + 2;
                    while (j < raw.length() && depth > 0) {
                        if (raw.charAt(j) == '{') {
                            depth++;
                        } else if (raw.charAt(j) == '}') {
                            depth--;
                        }
                        j++;
                    }
                    Var v = Var.braced(raw, i, j);
                    t.addVar(v);
                    i = j;
                } else if (ch == '$' && i + 1 < raw.length()
                        && (Character.isLetter(raw.charAt(i + 1)) || raw.charAt(i + 1) == '_')) {
                    int j = i + 1;
                    while (j < raw.length() && (Character.isLetterOrDigit(raw.charAt(j)) || raw.charAt(j) == '_')) {
                        j++;
                    }
                    Var v = new Var();
                    v.start = i;
                    v.end = j;
                    v.name = raw.substring(i + 1, j);
                    t.addVar(v);
                    i = j;
                } else {
                    t.add(ch, i, null, false);
                    i++;
                }
            }
            String e = t.expanded.toString();
            for (int k = 0; k < e.length(); k++) {
                if (t.opaque.get(k)) {
                    continue;
                }
                if (e.charAt(k) == '@' && t.digestAt < 0) {
                    t.digestAt = k;
                }
            }
            int end = t.digestAt < 0 ? e.length() : t.digestAt;
            int lastSlash = -1;
            int lastColon = -1;
            for (int k = 0; k < end; k++) {
                if (t.opaque.get(k)) {
                    continue;
                }
                if (e.charAt(k) == '/') {
                    lastSlash = k;
                } else if (e.charAt(k) == ':') {
                    lastColon = k;
                }
            }
            if (lastColon > lastSlash) {
                t.tagColon = lastColon;
            }
            t.repository = e.substring(0, t.tagColon >= 0 ? t.tagColon : end);
            return t;
        }

        private void add(char ch, int pos, Var v, boolean isOpaque) {
            expanded.append(ch);
            rawPos.add(pos);
            from.add(v);
            opaque.add(isOpaque);
        }

        private void addVar(Var v) {
            if (v.hasDefault && v.word.indexOf('$') < 0) {
                for (int k = 0; k < v.word.length(); k++) {
                    add(v.word.charAt(k), v.wordStart + k, v, false);
                }
            } else {
                // no default (or a default made of further variables): the value is not known here
                for (int k = v.start; k < v.end; k++) {
                    add(raw.charAt(k), -1, v, true);
                }
            }
        }

        /** The raw image with its tag set to newTag; refuses when that cannot be done in this text. */
        String withTag(String newTag, String where, Compose c) {
            if (digestAt >= 0) {
                throw c.refuse(where + " is pinned by digest (" + expanded.substring(digestAt)
                        + "): a digest names one exact image, so a new tag would not take effect");
            }
            int n = expanded.length();
            if (tagColon < 0) {
                if (n == 0) {
                    throw c.refuse(where + " has an empty image");
                }
                Var last = from.get(n - 1);
                if (opaque.get(n - 1)) {
                    throw c.refuse(where + " ends in the variable " + last.name + ", whose value may carry a tag;"
                            + " change it where it is set (the .env file)");
                }
                if (last == null && rawPos.get(n - 1) < 0) {
                    throw c.refuse(where + ": cannot tell where its name ends");
                }
                int insertAt = last != null ? last.end : rawPos.get(n - 1) + 1;
                return raw.substring(0, insertAt) + ":" + newTag + raw.substring(insertAt);
            }
            if (from.get(tagColon) != null) {
                Var v = from.get(tagColon);
                if (n == tagColon + 1 || from.get(n - 1) != v) {
                    throw c.refuse(where + ": its tag is split between the variable " + v.name + " and other text");
                }
            }
            if (tagColon == n - 1) {
                throw c.refuse(where + " has an empty tag");
            }
            // the tag: expanded characters tagColon+1 .. n-1
            boolean anyOpaque = false;
            Set<Var> vars = new LinkedHashSet<>();
            boolean anyLiteral = false;
            for (int k = tagColon + 1; k < n; k++) {
                anyOpaque |= opaque.get(k);
                if (from.get(k) != null) {
                    vars.add(from.get(k));
                } else {
                    anyLiteral = true;
                }
            }
            if (anyOpaque) {
                Var v = vars.iterator().next();
                if (!anyLiteral && vars.size() == 1) {
                    throw c.refuse(where + ": its tag is the variable " + v.name + " without a default here;"
                            + " change " + v.name + " to " + newTag + " where it is set (the .env file next to"
                            + " the compose file, or the environment docker compose runs in)");
                }
                throw c.refuse(where + ": its tag is made of the variable " + v.name + " and other text");
            }
            if (vars.size() > 1 || (anyLiteral && !vars.isEmpty())) {
                throw c.refuse(where + ": its tag combines variables and text");
            }
            int first = rawPos.get(tagColon + 1);
            int last = rawPos.get(n - 1);
            if (first < 0 || last < 0 || last - first != n - 1 - (tagColon + 1)) {
                throw c.refuse(where + ": cannot tell where its tag is written");
            }
            String tag = raw.substring(first, last + 1);
            if (tag.equals(newTag)) {
                return raw;
            }
            return raw.substring(0, first) + newTag + raw.substring(last + 1);
        }
    }

    /** A compose variable reference: $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?err}, ... */
    private static final class Var {
        int start;
        int end;
        String name;
        boolean hasDefault;
        String word = "";
        int wordStart = -1;

        static Var braced(String raw, int start, int end) {
            Var v = new Var();
            v.start = start;
            v.end = end;
            int closing = end - 1;
            String inner = closing > start + 2 && raw.charAt(closing) == '}'
                    ? raw.substring(start + 2, closing) : raw.substring(start + 2, end);
            int k = 0;
            while (k < inner.length() && (Character.isLetterOrDigit(inner.charAt(k)) || inner.charAt(k) == '_')) {
                k++;
            }
            v.name = inner.substring(0, k);
            String rest = inner.substring(k);
            String op = rest.startsWith(":-") ? ":-" : rest.startsWith("-") ? "-" : null;
            if (op != null && raw.charAt(closing) == '}') {
                v.hasDefault = true;
                v.wordStart = start + 2 + k + op.length();
                v.word = raw.substring(v.wordStart, closing);
            }
            if (v.name.isEmpty()) {
                v.name = raw.substring(start, end);
            }
            return v;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // the file, as lines

    /** A key and the lines of its value: [start, end) with trailing blank and comment lines left out. */
    private record Block(String name, int keyLine, int indent, int colonEnd, int start, int end) { }

    /** One list item or map entry of a block: lines [first, end). */
    private record Entry(int first, int end, int indent, boolean seq) { }

    private static final class Edits {
        final TreeMap<Integer, String> replaced = new TreeMap<>();
        final TreeMap<Integer, Integer> deleted = new TreeMap<>();

        void replace(int line, String content) {
            replaced.put(line, content);
        }

        void delete(int from, int to) {
            deleted.put(from, to);
        }
    }

    private static final class Compose {
        final String todo;
        final String bom;
        final List<String> lines = new ArrayList<>();
        final List<String> eols = new ArrayList<>();
        final boolean finalNewline;
        final JsonNode root;
        final int servicesLine;
        final int servicesEnd;
        final LinkedHashMap<String, Block> services = new LinkedHashMap<>();

        private Compose(String text, String todo) {
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

        static Compose open(String text, String todo) {
            Objects.requireNonNull(text, "text");
            return new Compose(text, todo);
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
            v.tree = tree;
            for (Entry e : entries) {
                v.items.add(volume(e));
            }
            if (tree.size() != v.items.size()) {
                throw refuse("service " + service + " has " + tree.size() + " volumes but " + v.items.size()
                        + " were found in the text");
            }
            for (int k = 0; k < v.items.size(); k++) {
                String fromTree = treeTarget(tree.get(k));
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
                v.containerPath = normalizePath(shortTarget(s.value));
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
            v.containerPath = v.target == null || v.target.kind == Kind.NONE ? null : normalizePath(v.target.value);
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

    // ------------------------------------------------------------------------------------------------
    // YAML pieces of a line

    private enum Kind { NONE, PLAIN, DOUBLE, SINGLE, ANCHOR, ALIAS, FLOW, TAG, BLOCK, UNCLOSED, OTHER }

    /** A scalar written on one line: its raw span (with quotes) and inner span (without) and its value. */
    private static final class Scalar {
        Kind kind;
        int innerStart;
        int innerEnd;
        String value;

        boolean isString() {
            return kind == Kind.PLAIN || kind == Kind.DOUBLE || kind == Kind.SINGLE;
        }

        static Scalar parse(String line, int from) {
            Scalar s = new Scalar();
            int i = from;
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            s.innerStart = i;
            s.innerEnd = i;
            if (i >= line.length() || line.charAt(i) == '#') {
                s.kind = Kind.NONE;
                return s;
            }
            char c = line.charAt(i);
            switch (c) {
                case '&' -> s.kind = Kind.ANCHOR;
                case '*' -> s.kind = Kind.ALIAS;
                case '[', '{' -> s.kind = Kind.FLOW;
                case '!' -> s.kind = Kind.TAG;
                case '|', '>' -> s.kind = Kind.BLOCK;
                case '"' -> quoted(s, line, i, '"');
                case '\'' -> quoted(s, line, i, '\'');
                case '-', '?' -> {
                    if (i + 1 == line.length() || line.charAt(i + 1) == ' ') {
                        s.kind = Kind.OTHER;
                    } else {
                        plain(s, line, i);
                    }
                }
                case '%', '@', '`' -> s.kind = Kind.OTHER;
                default -> plain(s, line, i);
            }
            return s;
        }

        private static void plain(Scalar s, String line, int i) {
            int end = line.length();
            for (int j = i + 1; j < line.length(); j++) {
                if (line.charAt(j) == '#' && (line.charAt(j - 1) == ' ' || line.charAt(j - 1) == '\t')) {
                    end = j;
                    break;
                }
            }
            while (end > i && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
                end--;
            }
            s.kind = Kind.PLAIN;
            s.innerStart = i;
            s.innerEnd = end;
            s.value = line.substring(i, end);
        }

        /**
         * Reads the quoted scalar that opens at {@code open} ('...' with '' for a quote, "..." with
         * backslash escapes) into {@code value}; returns the index of its closing quote, -1 if unclosed.
         */
        static int closingQuote(String line, int open, StringBuilder value) {
            char q = line.charAt(open);
            int j = open + 1;
            while (j < line.length()) {
                char ch = line.charAt(j);
                if (q == '"' && ch == '\\' && j + 1 < line.length()) {
                    value.append(unescape(line.charAt(j + 1)));
                    j += 2;
                    continue;
                }
                if (ch == q) {
                    if (q == '\'' && j + 1 < line.length() && line.charAt(j + 1) == '\'') {
                        value.append('\'');
                        j += 2;
                        continue;
                    }
                    return j;
                }
                value.append(ch);
                j++;
            }
            return -1;
        }

        private static void quoted(Scalar s, String line, int i, char q) {
            StringBuilder v = new StringBuilder();
            int j = closingQuote(line, i, v);
            if (j < 0) {
                s.kind = Kind.UNCLOSED;
                return;
            }
            String after = line.substring(j + 1).strip();
            if (!after.isEmpty() && !after.startsWith("#")) {
                s.kind = Kind.OTHER;
                return;
            }
            s.kind = q == '"' ? Kind.DOUBLE : Kind.SINGLE;
            s.innerStart = i + 1;
            s.innerEnd = j;
            s.value = v.toString();
        }

        private static char unescape(char c) {
            return switch (c) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '0' -> '\0';
                default -> c;
            };
        }
    }

    /** "name:" at a column: a plain, single- or double-quoted key followed by a colon and space or end. */
    private static final class Key {
        String name;
        int colonEnd;

        static Key parse(String line, int col) {
            if (col >= line.length()) {
                return null;
            }
            char c = line.charAt(col);
            if ((c == '-' || c == '?') && (col + 1 == line.length() || line.charAt(col + 1) == ' ')) {
                return null;
            }
            if (c == '[' || c == '{' || c == '#') {
                return null;
            }
            int colon;
            String name;
            if (c == '"' || c == '\'') {
                // the quoted key, up to its closing quote
                StringBuilder v = new StringBuilder();
                int j = Scalar.closingQuote(line, col, v);
                if (j < 0) {
                    return null;
                }
                int k = j + 1;
                while (k < line.length() && line.charAt(k) == ' ') {
                    k++;
                }
                if (k >= line.length() || line.charAt(k) != ':'
                        || (k + 1 < line.length() && line.charAt(k + 1) != ' ' && line.charAt(k + 1) != '\t')) {
                    return null;
                }
                colon = k;
                name = v.toString();
            } else {
                colon = -1;
                for (int j = col; j < line.length(); j++) {
                    char ch = line.charAt(j);
                    if (ch == '#' && j > col && (line.charAt(j - 1) == ' ' || line.charAt(j - 1) == '\t')) {
                        return null;
                    }
                    if (ch == ':' && (j + 1 == line.length() || line.charAt(j + 1) == ' ' || line.charAt(j + 1) == '\t')) {
                        colon = j;
                        break;
                    }
                }
                if (colon < 0) {
                    return null;
                }
                name = line.substring(col, colon).strip();
            }
            Key k = new Key();
            k.name = name;
            k.colonEnd = colon + 1;
            return k;
        }
    }

    // ------------------------------------------------------------------------------------------------

    private static boolean isContent(String line) {
        String s = line.strip();
        return !s.isEmpty() && !s.startsWith("#");
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static boolean isDash(String line, int ind) {
        return ind < line.length() && line.charAt(ind) == '-'
                && (ind + 1 == line.length() || line.charAt(ind + 1) == ' ');
    }

    private static String lineRef(int i) {
        return "line " + (i + 1);
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }

    private static String quoteForMessage(String s) {
        return s == null ? "null" : "\"" + s.replace("\n", "\\n").replace("\r", "\\r") + "\"";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
