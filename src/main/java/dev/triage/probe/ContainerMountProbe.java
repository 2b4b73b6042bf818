package dev.triage.probe;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.triage.host.HostMounts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's mounts at given paths (exact, or under a prefix such as /var/lib/) and what backs
 * each: a host path's filesystem from the host's mount table, a named volume's driver options
 * (a local volume can itself be NFS), tmpfs. Reads the container's configuration, so a created or
 * exited container is read as well as a running one.
 */
public final class ContainerMountProbe implements Probe<ContainerMountProbe.Evidence> {

    /** {@code destinations}: every matching container path, for a fix that removes them all. */
    public record Evidence(String container, List<String> matches, List<String> destinations, String destination, String type,
                           String source, String fsType, String fsSource, Boolean network) {
        /** No mount to describe (no container, or none at the path asked about). */
        static Evidence none(String container) {
            return new Evidence(container, List.of(), List.of(), "", "", "", null, null, null);
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("container-mount", Evidence.class)
            .outcomes("mounted-local", "mounted-network", "mounted-unknown-fs", "not-mounted", "no-container")
            .fine("mounted-local", "not-mounted")
            .requires("container")
            .optional("destination", "under");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    /** One mount as found: what kind, from where, to where, and the filesystem behind it. */
    record Found(String type, String source, String destination, String fsType, String fsSource, Boolean network) {
        String describe() {
            return type + " " + (source.isEmpty() ? "(none)" : source) + " -> " + destination
                    + (fsType == null ? "" : " [" + fsType + (fsSource == null || fsSource.isEmpty() ? "" : " " + fsSource) + "]");
        }
    }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        String container = params.get("container");
        List<String> exact = params.list("destination").stream().map(ContainerMountProbe::normal).toList();
        List<String> under = params.list("under");
        if (container.isEmpty()) {
            return ProbeResult.of("no-container", Evidence.none(""), "no container to read");
        }
        if (exact.isEmpty() && under.isEmpty()) {
            throw new IllegalArgumentException("container-mount needs destination or under");
        }
        DockerClient docker = context.docker().client();
        InspectContainerResponse c;
        try {
            c = docker.inspectContainerCmd(container).exec();
        } catch (NotFoundException e) {
            return ProbeResult.of("no-container", Evidence.none(container),
                    "container " + container + " is gone");
        }
        HostMounts host = HostMounts.read(context.host());
        List<Found> found = new ArrayList<>();
        for (InspectContainerResponse.Mount m : c.getMounts() == null ? List.<InspectContainerResponse.Mount>of() : c.getMounts()) {
            String dest = m.getDestination() == null ? "" : normal(m.getDestination().getPath());
            if (wanted(dest, exact, under)) {
                found.add(describe(docker, host, m, dest));
            }
        }
        Map<String, String> tmpfs = c.getHostConfig() == null ? null : c.getHostConfig().getTmpFs();
        if (tmpfs != null) {
            tmpfs.keySet().stream().map(ContainerMountProbe::normal).filter(d -> wanted(d, exact, under))
                    .forEach(d -> found.add(new Found("tmpfs", "", d, "tmpfs", "", false)));
        }
        List<String> matches = found.stream().map(Found::describe).toList();
        if (found.isEmpty()) {
            return ProbeResult.of("not-mounted", Evidence.none(container),
                    container + ": nothing mounted at " + String.join(", ", exact.isEmpty() ? under.stream().map(u -> u + "*").toList() : exact));
        }
        Found first = found.stream().filter(f -> Boolean.TRUE.equals(f.network())).findFirst().orElse(found.get(0));
        String outcome = first.network() == null ? "mounted-unknown-fs" : first.network() ? "mounted-network" : "mounted-local";
        return ProbeResult.of(outcome, new Evidence(container, matches, found.stream().map(Found::destination).toList(),
                first.destination(), first.type(), first.source(),
                first.fsType(), first.fsSource(), first.network()), container + ": " + String.join("; ", matches));
    }

    private static boolean wanted(String dest, List<String> exact, List<String> under) {
        return exact.contains(dest) || under.stream().anyMatch(u -> dest.startsWith(u.endsWith("/") ? u : u + "/") || dest.equals(normal(u)));
    }

    private static Found describe(DockerClient docker, HostMounts host, InspectContainerResponse.Mount m, String dest) {
        String source = m.getSource() == null ? "" : m.getSource();
        if (m.getName() != null && !m.getName().isEmpty()) {
            // a named volume: its driver options say what backs it (type=nfs), else the path on the host
            try {
                var v = docker.inspectVolumeCmd(m.getName()).exec();
                Map<String, String> options = v.getOptions() == null ? Map.of() : v.getOptions();
                String type = options.get("type");
                if ("none".equals(type) && String.valueOf(options.get("o")).contains("bind") && options.get("device") != null) {
                    // a local volume that is a bind mount of a host directory: that directory's filesystem counts
                    return onHost(host, "volume " + m.getName() + " (bind of " + options.get("device") + ")",
                            options.get("device"), dest);
                }
                if (type != null && !type.isEmpty()) {
                    return new Found("volume " + m.getName(), source, dest, type, options.getOrDefault("device", ""),
                            HostMounts.NETWORK.contains(type) || type.startsWith("nfs"));
                }
                if (v.getDriver() != null && !v.getDriver().equals("local")) {
                    return new Found("volume " + m.getName(), source, dest, "driver " + v.getDriver(), "", null);
                }
            } catch (NotFoundException e) {
                // the volume is gone; the host path below is all there is
            }
            return onHost(host, "volume " + m.getName(), source, dest);
        }
        if (source.isEmpty()) {
            return new Found("tmpfs", "", dest, "tmpfs", "", false);
        }
        return onHost(host, "bind", source, dest);
    }

    private static Found onHost(HostMounts host, String type, String source, String dest) {
        String real = source;
        try {
            real = java.nio.file.Path.of(source).toRealPath().toString(); // a symlink into an NFS mount is on NFS
        } catch (java.io.IOException | RuntimeException e) {
            // not there (or not readable) on this host: judge the path as written
        }
        return host.find(real).map(h -> new Found(type, source, dest, h.fsType(), h.source(), h.network()))
                .orElse(new Found(type, source, dest, null, null, null));
    }

    private static String normal(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
