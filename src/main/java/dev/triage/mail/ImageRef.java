package dev.triage.mail;

import java.util.Locale;

/**
 * An image reference as Docker shows it on a container: {@code [registry/]repository[:tag][@digest]}.
 * The repository is normalised the way Docker Hub names are ({@code docker.io/} and
 * {@code library/} dropped), so {@code docker.io/mailserver/docker-mailserver} and
 * {@code mailserver/docker-mailserver} are one image.
 */
public record ImageRef(String repository, String tag, String digest) {

    /**
     * Where a reference splits, the one rule for every reader of image references: the digest
     * starts at the first '@', and a colon after the last slash (before the digest) starts the tag;
     * one before it is a registry port. -1 when there is none. Positions {@code skip} marks (the
     * text of a compose variable) never split.
     */
    public record Split(int tagColon, int digestAt) {
        /** Where the repository part of a reference of this length ends. */
        public int repositoryEnd(int length) {
            return tagColon >= 0 ? tagColon : digestAt >= 0 ? digestAt : length;
        }
    }

    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Docker's grammar of a tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'. */
    public static boolean isTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    public static Split split(CharSequence ref, java.util.function.IntPredicate skip) {
        int digestAt = -1;
        for (int k = 0; k < ref.length() && digestAt < 0; k++) {
            if (!skip.test(k) && ref.charAt(k) == '@') {
                digestAt = k;
            }
        }
        int end = digestAt < 0 ? ref.length() : digestAt;
        int lastSlash = -1;
        int lastColon = -1;
        for (int k = 0; k < end; k++) {
            if (skip.test(k)) {
                continue;
            }
            if (ref.charAt(k) == '/') {
                lastSlash = k;
            } else if (ref.charAt(k) == ':') {
                lastColon = k;
            }
        }
        return new Split(lastColon > lastSlash ? lastColon : -1, digestAt);
    }

    public static ImageRef parse(String reference) {
        String ref = reference == null ? "" : reference.strip();
        Split split = split(ref, k -> false);
        String digest = split.digestAt() < 0 ? null : ref.substring(split.digestAt() + 1);
        String tag = split.tagColon() < 0 ? null
                : ref.substring(split.tagColon() + 1, split.digestAt() < 0 ? ref.length() : split.digestAt());
        ref = ref.substring(0, split.repositoryEnd(ref.length()));
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
