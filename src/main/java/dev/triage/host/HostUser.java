package dev.triage.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who this process runs as, for messages: advice to run as root is given only when it is not root. */
public final class HostUser {
    private HostUser() { }

    /** True when the effective user id is 0 (read from /proc/self/status; the user name may be anything). */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).strip().split("\\s+");
                    return ids.length > 1 && ids[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the name
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** " (run as root?)" for a permission problem, or nothing when already root. */
    public static String rootHint() {
        return isRoot() ? "" : " (run as root?)";
    }
}
