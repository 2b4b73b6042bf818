package dev.triage.fix;

import java.util.function.Predicate;

/**
 * Minimal text edits of a docker compose file: only the lines that must change are changed, every
 * other byte (comments, quoting, key order, blank lines, CRLF line endings, a missing final newline)
 * stays as it was, so the preview of a fix is an exact diff.
 *
 * <p>Each operation returns the new text, or the very same text when there is nothing to change (so
 * applying an operation twice changes nothing the second time). When an edit cannot be made safely
 * (YAML flow style, anchors, aliases or merge keys in what is edited, several YAML documents in
 * one file, an image pinned by digest, ...) it throws {@link IllegalArgumentException} with a message an administrator
 * can act on, so the caller can print the change for them to make by hand.
 *
 * <p>The spans to edit come from SnakeYAML's node tree ({@link ComposeNodes}: the parser's own
 * positions, the refusal rules), the text is kept and changed by {@link ComposeText}, and each kind
 * of edit is one class ({@link ComposeUnsetEnv}, {@link ComposeRemoveVolume},
 * {@link ComposeVolumeSource}, {@link ComposeImageTag}). After every edit the result is parsed again
 * and compared with the parsed original plus the intended change; any other difference anywhere in
 * the file makes the operation throw instead of returning a broken file.
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

    /**
     * Removes every occurrence of the variable {@code key} from {@code services.<service>.environment},
     * list form ({@code - KEY=value}, quoted, or bare {@code - KEY}) or map form ({@code KEY: value},
     * {@code KEY:}, quoted keys). Returns {@code text} itself when the variable is not there.
     */
    public static String unsetEnvironment(String text, String service, String key) {
        return ComposeUnsetEnv.apply(text, service, key);
    }

    /**
     * Removes from {@code services.<service>.volumes} every entry whose container path is
     * {@code target} (short syntax {@code SOURCE:TARGET[:MODE]} or long syntax with {@code target:}).
     * Trailing slashes do not count. Returns {@code text} itself when no entry mounts there.
     */
    public static String removeVolume(String text, String service, String target) {
        return ComposeRemoveVolume.apply(text, service, target);
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
        return ComposeVolumeSource.apply(text, service, target, newSource);
    }

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
        return ComposeImageTag.apply(text, repository, newTag);
    }
}
