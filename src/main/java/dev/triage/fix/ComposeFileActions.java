package dev.triage.fix;

import dev.triage.mail.ImageRef;

import java.nio.file.Path;
import java.util.List;

/**
 * Fixes that change the user's own compose file, always one the user named: minimal text edits
 * ({@link ComposeEdits}) planned here, so the preview is the exact diff and undo restores the bytes.
 * When an edit cannot be made safely the plan is refused with the change to make by hand.
 */
final class ComposeFileActions {

    private ComposeFileActions() { }

    /** Environment variables removed, volumes removed, volume sources moved, in one service. */
    static FileWrite serviceEdit(Path compose, String service, List<String> unsetEnv, List<String> removeVolumes,
                                 List<String> volumeSources, String why) throws FixException {
        String text = read(compose);
        if (service.isEmpty()) {
            throw new FixException("the container was not made by compose (no com.docker.compose.service label), so there is"
                    + " no service to edit in " + compose);
        }
        String edited = text;
        try {
            for (String key : unsetEnv) {
                edited = ComposeEdits.unsetEnvironment(edited, service, key);
            }
            for (String target : removeVolumes) {
                edited = ComposeEdits.removeVolume(edited, service, target);
            }
            for (String move : volumeSources) {
                int eq = move.indexOf('=');
                if (eq <= 0) {
                    throw new FixException("not TARGET=SOURCE: " + move);
                }
                edited = ComposeEdits.replaceVolumeSource(edited, service, move.substring(0, eq), move.substring(eq + 1));
            }
        } catch (IllegalArgumentException e) {
            throw new FixException(compose + ": " + e.getMessage());
        }
        if (edited.equals(text)) {
            // nothing of it is in this file (an env_file holds it, or it was done): say so, so another fix is offered
            throw new FixException(compose + " has none of it in services." + service + " (" + String.join(", ",
                    java.util.stream.Stream.of(unsetEnv, removeVolumes, volumeSources).flatMap(List::stream).toList())
                    + "): already done, or it is set elsewhere (an env_file)");
        }
        return FileWrite.plan(compose, edited, why);
    }

    /** Every image of the given repositories (globs such as ghcr.io/mailu/*) set to one tag. */
    static FileWrite imageTag(Path compose, List<String> repositories, String tag, String why) throws FixException {
        if (!ImageRef.isTag(tag)) {
            throw new FixException("not an image tag: " + tag);
        }
        String text = read(compose);
        try {
            // setImageTag refuses a file with no image of these repositories; an unchanged text means "already done"
            String edited = ComposeEdits.setImageTag(text, repo -> repositories.stream().anyMatch(p -> ImageRef.parse(repo).matches(p)),
                    tag);
            return FileWrite.plan(compose, edited, why);
        } catch (IllegalArgumentException e) {
            throw new FixException(compose + ": " + e.getMessage());
        }
    }

    private static String read(Path compose) throws FixException {
        if (!compose.isAbsolute()) {
            throw new FixException("compose file " + compose + " is not an absolute path");
        }
        return FileWrite.text(compose, "compose file");
    }
}
