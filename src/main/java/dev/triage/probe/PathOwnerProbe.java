package dev.triage.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Who owns a host directory and what is directly in it (numeric ids: the container's users are not
 * the host's). Everything owned by 65534 is the mark of an NFS export with root_squash.
 */
public final class PathOwnerProbe implements Probe<PathOwnerProbe.Evidence> {
    private static final int MAX_CHILDREN = 30;
    private static final int NOBODY = 65534;

    public record Evidence(String path, Integer uid, Integer gid, String mode, List<String> children, String error) {
        /** Nothing read from the path: {@code error} says why, if anything went wrong. */
        static Evidence notRead(String path, String error) {
            return new Evidence(path, null, null, null, List.of(), error);
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("path-owner", Evidence.class)
            .outcomes("readable", "squashed", "missing", "unreadable", "not-given")
            .fine("readable")
            .requires("path");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String path = params.get("path");
        if (path.isEmpty()) {
            return ProbeResult.of("not-given", Evidence.notRead("", null), "no path to read");
        }
        Path p = context.host() == null ? Path.of(path) : context.host().path(path);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return ProbeResult.of("missing", Evidence.notRead(path, null), path + " does not exist on this host");
        }
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,permissions");
            int uid = (Integer) a.get("uid");
            int gid = (Integer) a.get("gid");
            @SuppressWarnings("unchecked")
            String mode = PosixFilePermissions.toString((Set<java.nio.file.attribute.PosixFilePermission>) a.get("permissions"));
            List<String> children = new ArrayList<>();
            boolean allNobody = uid == NOBODY;
            if (Files.isDirectory(p)) {
                try (Stream<Path> list = Files.list(p)) {
                    for (Path child : list.sorted().limit(MAX_CHILDREN).toList()) {
                        Map<String, Object> ca = Files.readAttributes(child, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
                        children.add(child.getFileName() + " " + ca.get("uid") + ":" + ca.get("gid"));
                        allNobody &= (Integer) ca.get("uid") == NOBODY;
                    }
                }
            }
            Evidence e = new Evidence(path, uid, gid, mode, children, null);
            return ProbeResult.of(allNobody ? "squashed" : "readable", e, path + " is owned by " + uid + ":" + gid + " (" + mode + ")"
                    + (children.isEmpty() ? "" : "; in it: " + String.join(", ", children)));
        } catch (IOException | UnsupportedOperationException e) {
            return ProbeResult.of("unreadable", Evidence.notRead(path, e.getMessage()),
                    "cannot read the owner of " + path + ": " + e.getMessage());
        }
    }
}
