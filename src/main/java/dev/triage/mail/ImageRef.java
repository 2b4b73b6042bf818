package dev.triage.mail;

import java.util.Locale;

/**
 * An image reference as Docker shows it on a container: {@code [registry/]repository[:tag][@digest]}.
 * The repository is normalised the way Docker Hub names are ({@code docker.io/} and
 * {@code library/} dropped), so {@code docker.io/mailserver/docker-mailserver} and
 * {@code mailserver/docker-mailserver} are one image.
 */
public record ImageRef(String repository, String tag, String digest) {

    public static ImageRef parse(String reference) {
        String ref = reference == null ? "" : reference.strip();
        String digest = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            digest = ref.substring(at + 1);
            ref = ref.substring(0, at);
        }
        String tag = null;
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) { // a colon after the last slash is a tag, before it a registry port
            tag = ref.substring(colon + 1);
            ref = ref.substring(0, colon);
        }
        String repo = ref.toLowerCase(Locale.ROOT);
        if (repo.startsWith("docker.io/")) {
            repo = repo.substring("docker.io/".length());
        } else if (repo.startsWith("index.docker.io/")) {
            repo = repo.substring("index.docker.io/".length());
        }
        if (repo.startsWith("library/")) {
            repo = repo.substring("library/".length());
        }
        return new ImageRef(repo, tag, digest);
    }

    /** An image id (sha256:...) rather than a name: the tag moved on after the container was made. */
    public boolean isId() {
        return repository.matches("(sha256:)?[0-9a-f]{12,64}") && tag == null || "sha256".equals(repository);
    }

    /** Glob match on the repository: {@code ghcr.io/mailu/*} matches every Mailu image. */
    public boolean matches(String pattern) {
        String p = parse(pattern).repository();
        String regex = java.util.regex.Pattern.quote(p).replace("*", "\\E[^/]*\\Q");
        return repository.matches(regex);
    }

    @Override
    public String toString() {
        return repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
