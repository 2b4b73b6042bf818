package dev.triage.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's mount table ({@code /proc/self/mountinfo}): which filesystem a path lives on. Read in
 * triage's own mount namespace, which is the Docker host's when triage runs on it (a bind mount
 * source is a host path).
 */
public final class HostMounts {
    /** Filesystems whose locking and ownership semantics docker-mailserver's state does not survive. */
    public static final Set<String> NETWORK = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "glusterfs",
            "fuse.glusterfs", "ceph", "fuse.ceph", "9p", "fuse.rclone", "davfs", "fuse.s3fs");

    /** One line: where it is mounted, what it is, and from where. */
    public record Mount(String mountPoint, String fsType, String source) {
        public boolean network() {
            // FUSE filesystems are userspace and usually remote (sshfs, rclone, s3fs); fuseblk is a local disk (ntfs-3g)
            return NETWORK.contains(fsType) || fsType.startsWith("nfs") || fsType.equals("fuse")
                    || fsType.startsWith("fuse.") && !fsType.equals("fuse.lxcfs");
        }
    }

    private final List<Mount> mounts;

    private HostMounts(List<Mount> mounts) {
        this.mounts = mounts;
    }

    public static HostMounts read(HostSystem host) {
        return parse(host.read("/proc/self/mountinfo").orElse(""));
    }

    /** mountinfo: "id parent major:minor root mountpoint options [optional...] - fstype source superoptions". */
    public static HostMounts parse(String mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.strip().split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            mounts.add(new Mount(unescape(f[4]), f[dash + 1], unescape(f[dash + 2])));
        }
        return new HostMounts(mounts);
    }

    /** The mount a path lives on: the longest mount point that is a prefix of it (the last one mounted wins). */
    public Optional<Mount> find(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Mount best = null;
        for (Mount m : mounts) {
            String mp = m.mountPoint();
            boolean covers = mp.equals("/") || p.equals(mp) || p.startsWith(mp + "/");
            if (covers && (best == null || mp.length() >= best.mountPoint().length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(s.charAt(i));
            }
        }
        return sb.toString();
    }
}
