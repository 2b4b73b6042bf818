package dev.triage.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class HostMountsTest {
    /** As in /proc/self/mountinfo on a Debian host (optional fields such as shared:1 included). */
    private static final String MOUNTINFO = """
            22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
            23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
            25 22 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=8123456k,nr_inodes=2030864,mode=755
            30 22 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1634412k,mode=755
            41 22 259:3 / /srv rw,relatime shared:20 - ext4 /dev/nvme0n1p3 rw
            88 41 0:50 / /srv/nfs rw,relatime shared:40 - nfs4 198.18.0.1:/export rw,vers=4.2,rsize=1048576,wsize=1048576,hard,proto=tcp,addr=198.18.0.1
            90 22 0:52 / /mnt/smb rw,relatime shared:42 - cifs //198.18.0.2/mail rw,vers=3.1.1,cache=strict,username=mail,uid=0
            92 22 0:53 / /mnt/remote rw,nosuid,nodev,relatime shared:44 - fuse.sshfs mail@198.18.0.3:/var/mail rw,user_id=0,group_id=0
            94 22 259:2 /home/me/My\\040Mail /mnt/My\\040Mail rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
            96 22 0:60 / /mnt/nfs3 rw,relatime shared:46 - nfs 198.18.0.4:/vol/mail rw,vers=3
            120 30 0:70 / /var/lib/docker/overlay2/abc/merged rw,relatime - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X:/var/lib/docker/overlay2/l/Y,upperdir=/var/lib/docker/overlay2/abc/diff
            130 22 0:80 / /tmp rw,nosuid,nodev shared:50 - tmpfs tmpfs rw
            """;

    private final HostMounts mounts = HostMounts.parse(MOUNTINFO);

    private HostMounts.Mount find(String path) {
        return mounts.find(path).orElseThrow(() -> new AssertionError("no mount for " + path));
    }

    @Test
    void readsMountPointTypeAndSource() {
        HostMounts.Mount nfs = find("/srv/nfs/mail");
        assertEquals(new HostMounts.Mount("/srv/nfs", "nfs4", "198.18.0.1:/export"), nfs);
        assertEquals(new HostMounts.Mount("/mnt/smb", "cifs", "//198.18.0.2/mail"), find("/mnt/smb/x"));
        assertEquals(new HostMounts.Mount("/mnt/remote", "fuse.sshfs", "mail@198.18.0.3:/var/mail"), find("/mnt/remote"));
        assertEquals(new HostMounts.Mount("/", "ext4", "/dev/nvme0n1p2"), find("/etc/passwd"));
        assertEquals("overlay", find("/var/lib/docker/overlay2/abc/merged/etc").fsType());
    }

    @Test
    void unescapesOctalSpaces() {
        HostMounts.Mount m = find("/mnt/My Mail/cur");
        assertEquals("/mnt/My Mail", m.mountPoint());
        assertEquals("ext4", m.fsType());
        assertEquals("/", find("/mnt/My").mountPoint(), "half of the escaped name is not the mount");
        assertEquals("a\tb\\c d", HostMounts.unescape("a\\011b\\134c\\040d"));
        assertEquals("end\\04", HostMounts.unescape("end\\04"), "a short escape at the end stays as it is");
    }

    @Test
    void longestPrefixWins() {
        assertEquals("/srv/nfs", find("/srv/nfs/mail/data").mountPoint());
        assertEquals("/srv", find("/srv/other").mountPoint());
        assertEquals("/srv/nfs", find("/srv/nfs").mountPoint());
        assertEquals("/", find("/").mountPoint());
    }

    @Test
    void aStringPrefixIsNotAPathPrefix() {
        assertEquals("/srv", find("/srv/nfsx").mountPoint());
        assertEquals("/srv", find("/srv/nfsx/mail").mountPoint());
        assertEquals("/", find("/srvx").mountPoint());
        assertEquals("/", find("/mnt/smbshare").mountPoint());
    }

    @Test
    void trailingSlashes() {
        assertEquals("/srv/nfs", find("/srv/nfs/").mountPoint());
        assertEquals("/srv/nfs", find("/srv/nfs/mail/").mountPoint());
        assertEquals("/srv", find("/srv/").mountPoint());
    }

    @Test
    void networkFilesystems() {
        assertTrue(find("/srv/nfs/mail").network(), "nfs4");
        assertTrue(find("/mnt/nfs3/mail").network(), "nfs");
        assertTrue(find("/mnt/smb").network(), "cifs");
        assertTrue(find("/mnt/remote/x").network(), "fuse.sshfs");
        assertFalse(find("/srv/data").network(), "ext4");
        assertFalse(find("/var/lib/docker/overlay2/abc/merged/x").network(), "overlay");
        assertFalse(find("/tmp/x").network(), "tmpfs");
        assertFalse(new HostMounts.Mount("/x", "btrfs", "/dev/sda1").network());
        assertTrue(new HostMounts.Mount("/x", "glusterfs", "198.18.0.5:/vol").network());
    }

    @Test
    void aLaterMountOnTheSamePointWins() {
        HostMounts stacked = HostMounts.parse(MOUNTINFO
                + "140 88 0:90 / /srv/nfs rw,relatime - tmpfs tmpfs rw\n");
        assertEquals(new HostMounts.Mount("/srv/nfs", "tmpfs", "tmpfs"), stacked.find("/srv/nfs/mail").orElseThrow());
        assertFalse(stacked.find("/srv/nfs/mail").orElseThrow().network());
    }

    @Test
    void malformedLinesAreSkipped() {
        HostMounts m = HostMounts.parse("garbage\n\n1 2 3\n41 22 259:3 / /srv rw - ext4\r\n"
                + "22 1 259:2 / / rw,relatime - ext4 /dev/sda1 rw\r\n");
        assertEquals(new HostMounts.Mount("/", "ext4", "/dev/sda1"), m.find("/srv/x").orElseThrow());
    }

    @Test
    void nothingMountedFindsNothing() {
        assertEquals(Optional.empty(), HostMounts.parse("").find("/srv"));
    }

    @Test
    void readsProcSelfMountinfoUnderTheHostRoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"), MOUNTINFO);
        HostMounts read = HostMounts.read(new HostSystem(root));
        assertEquals("nfs4", read.find("/srv/nfs/x").orElseThrow().fsType());
        assertEquals(Optional.empty(), HostMounts.read(new HostSystem(root.resolve("empty"))).find("/"));
    }
}
