package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.triage.mail.ImageRef;
import dev.triage.mail.ReleaseVersion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the user's mail-server container by image (any state: running, exited, restarting,
 * created) or by the name given, and reads its release from the image tag or, for "latest" and
 * digests, the image's version label. What cannot be known is said, never guessed.
 */
public final class ContainerFindProbe implements Probe<ContainerFindProbe.Evidence> {
    static final String VERSION_LABEL = "org.opencontainers.image.version";

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Found container, @JsonUnwrapped Release release, String state,
                           boolean imageMatches, @JsonUnwrapped Compose compose, @JsonUnwrapped Search search) {
        public Evidence {
            container = container == null ? Found.NONE : container;
            release = release == null ? Release.NONE : release;
            compose = compose == null ? Compose.of(null) : compose;
            search = search == null ? new Search(null, null) : search;
        }
    }

    /** The container and the image it runs, by name. */
    public record Found(String name, String id, String image, String repository, String tag) {
        static final Found NONE = new Found("", "", "", "", "");
    }

    /** The release it runs, and where that was read (or why it could not be). */
    public record Release(String version, String versionSource) {
        static final Release NONE = new Release("", "");
    }

    /** The Compose project that made it, from the container's labels ("" when none). */
    public record Compose(String composeProject, String composeService, String composeFiles, String composeFile) {
        static Compose of(Map<String, String> labels) {
            Map<String, String> l = labels == null ? Map.of() : labels;
            String files = l.getOrDefault("com.docker.compose.project.config_files", "");
            return new Compose(l.getOrDefault("com.docker.compose.project", ""), l.getOrDefault("com.docker.compose.service", ""),
                    files, files.split(",")[0].strip());
        }
    }

    /** The containers that fit, as shown, and the image patterns searched for. */
    public record Search(List<String> candidates, List<String> searched) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("container-find", Evidence.class)
            .outcomes("found", "not-found", "ambiguous", "container-missing", "other-image")
            .fine("found")
            .requires("images")
            .optional("container", "prefer");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        DockerClient docker = context.docker().client();
        List<String> patterns = params.list("images");
        String wanted = params.get("container");
        Map<String, ImageRef> imageNames = new HashMap<>();
        if (!wanted.isEmpty()) {
            InspectContainerResponse c;
            try {
                c = docker.inspectContainerCmd(wanted).exec();
            } catch (NotFoundException e) {
                return ProbeResult.of("container-missing", empty(patterns), "no container named " + wanted
                        + " on this engine (docker ps -a)");
            }
            ImageRef ref = imageOf(docker, c.getConfig().getImage(), c.getImageId(), imageNames);
            boolean matches = patterns.stream().anyMatch(ref::matches);
            Evidence e = evidence(docker, c.getName().replaceFirst("^/", ""), c.getId(), ref, c.getImageId(),
                    c.getState().getStatus(), matches, c.getConfig().getLabels(), List.of(), patterns);
            if (!matches) {
                // a container of another kind: its tag is no release of this one (a docker-mailserver
                // 14.0.0 is no Mailu release), so nothing is read from it
                Evidence other = new Evidence(e.container(), new Release("", "not read: the image is not one of "
                        + String.join(", ", patterns)), e.state(), false, e.compose(), new Search(List.of(), patterns));
                return ProbeResult.of("other-image", other, e.container().name() + " (" + e.container().image() + ", " + e.state()
                        + ") runs no image of " + String.join(", ", patterns));
            }
            return ProbeResult.of("found", e, describe(e));
        }
        List<Container> all = docker.listContainersCmd().withShowAll(true).exec();
        List<Container> found = new ArrayList<>();
        Map<Container, ImageRef> refs = new java.util.IdentityHashMap<>();
        for (Container c : all) {
            ImageRef ref = ImageRef.parse(c.getImage());
            if (ref.isId()) {
                // the name no longer points at this image (a pull moved the tag on): the container's own
                // config still says what it was made from, which is what the admin deployed
                try {
                    ref = ImageRef.parse(docker.inspectContainerCmd(c.getId()).exec().getConfig().getImage());
                } catch (NotFoundException e) {
                    continue; // removed meanwhile
                }
            }
            if (ref.isId()) {
                ref = imageOf(docker, c.getImage(), c.getImageId(), imageNames); // made from an id: the image's own tags
            }
            refs.put(c, ref);
            if (patterns.stream().anyMatch(ref::matches)) {
                found.add(c);
            }
        }
        if (found.isEmpty()) {
            return ProbeResult.of("not-found", empty(patterns), "no container (in any state) runs an image of "
                    + String.join(", ", patterns) + " among " + all.size() + " container(s)");
        }
        List<String> prefer = params.list("prefer");
        // running first, then the preferred image (Mailu's front), then the name for a stable choice
        found.sort(Comparator.comparing((Container c) -> !"running".equals(c.getState()))
                .thenComparing(c -> rank(refs.get(c), prefer))
                .thenComparing(c -> name(c)));
        List<String> candidates = found.stream().map(c -> name(c) + " (" + refs.get(c)
                + ", " + c.getState() + ")").toList();
        Set<String> projects = new LinkedHashSet<>();
        found.forEach(c -> projects.add(c.getLabels() == null ? name(c)
                : c.getLabels().getOrDefault("com.docker.compose.project", name(c))));
        Container chosen = found.get(0);
        Evidence e = evidence(docker, name(chosen), chosen.getId(), refs.get(chosen),
                chosen.getImageId(), chosen.getState(), true, chosen.getLabels(), candidates, patterns);
        if (projects.size() > 1) {
            return ProbeResult.of("ambiguous", e, found.size() + " candidate containers in " + projects.size()
                    + " stacks: " + String.join("; ", candidates) + "; name one with container=");
        }
        return ProbeResult.of("found", e, describe(e) + (found.size() > 1 ? " (of " + found.size() + " in its stack)" : ""));
    }

    private static Evidence evidence(DockerClient docker, String name, String id, ImageRef ref, String imageId, String state,
                                     boolean matches, Map<String, String> labels, List<String> candidates,
                                     List<String> patterns) {
        String version = null;
        String source;
        var fromTag = ReleaseVersion.parse(ref.tag());
        if (fromTag.isPresent()) {
            version = fromTag.get().text();
            source = "image tag " + ref.tag();
        } else {
            String label = imageLabel(docker, imageId);
            var fromLabel = ReleaseVersion.parse(label);
            if (fromLabel.isPresent()) {
                version = fromLabel.get().text();
                source = "image label " + VERSION_LABEL + " (tag " + (ref.tag() == null ? "none" : ref.tag()) + ")";
            } else {
                source = "unknown: tag " + (ref.tag() == null ? "none" : "'" + ref.tag() + "'")
                        + (ref.digest() == null ? "" : ", digest " + ref.digest()) + ", no " + VERSION_LABEL + " label";
            }
        }
        return new Evidence(new Found(name, id.substring(0, Math.min(12, id.length())), ref.toString(), ref.repository(), ref.tag()),
                new Release(version == null ? "" : version, source), state, matches, Compose.of(labels),
                new Search(candidates, patterns));
    }

    /** The image a container was made from, by name; an id (the tag moved on) is looked up in the image's tags. */
    private static ImageRef imageOf(DockerClient docker, String shown, String imageId, Map<String, ImageRef> cache) {
        return cache.computeIfAbsent(String.valueOf(imageId) + shown, k -> {
            ImageRef ref = ImageRef.parse(shown);
            if (!ref.isId() || imageId == null) {
                return ref;
            }
            try {
                List<String> tags = docker.inspectImageCmd(imageId).exec().getRepoTags();
                return tags == null || tags.isEmpty() ? ref : ImageRef.parse(tags.get(0));
            } catch (NotFoundException e) {
                return ref;
            }
        });
    }

    private static String imageLabel(DockerClient docker, String imageId) {
        if (imageId == null) {
            return null;
        }
        try {
            var config = docker.inspectImageCmd(imageId).exec().getConfig();
            return config == null || config.getLabels() == null ? null : config.getLabels().get(VERSION_LABEL);
        } catch (NotFoundException e) {
            return null; // the image was removed after the container was made
        }
    }

    private static int rank(ImageRef ref, List<String> prefer) {
        for (int i = 0; i < prefer.size(); i++) {
            if (ref != null && ref.repository().contains(prefer.get(i))) {
                return i;
            }
        }
        return prefer.size();
    }

    private static String name(Container c) {
        return c.getNames() == null || c.getNames().length == 0 ? c.getId().substring(0, 12) : c.getNames()[0].replaceFirst("^/", "");
    }

    private static Evidence empty(List<String> patterns) {
        return new Evidence(Found.NONE, Release.NONE, "", false, Compose.of(null), new Search(List.of(), patterns));
    }

    private static String describe(Evidence e) {
        return e.container().name() + " (" + e.container().image() + ", " + e.state() + "), release "
                + (e.release().version().isEmpty() ? "unknown" : e.release().version()) + " from the " + e.release().versionSource();
    }
}
