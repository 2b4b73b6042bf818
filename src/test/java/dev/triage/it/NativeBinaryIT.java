package dev.triage.it;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The jpackage binary that 'verify' builds (jpackage/build.sh, pre-integration-test) against the
 * plain jar: jpackage/smoke.sh compares --version, --help, list, list --json and validate byte for
 * byte, runs a healthy diagnosis and a TLS handshake with an EC certificate, opens the text UI,
 * resizes and leaves it, and checks that the class-data archive serves the classes. The .deb
 * must not depend on X11 or sound libraries. The arm64 image ('jpackage/build.sh --arch arm64', built
 * in pre-integration-test when TRIAGE_REQUIRE_ARM64=1) runs the same checks under qemu. Both images
 * stay under 60 MB without the class-data archive that the .deb makes at install. Each .deb is
 * installed with a real dpkg in a Debian 12 root of its architecture and refused by Debian 11's.
 */
class NativeBinaryIT extends DockerTest {
    private static final Path IMAGE = Path.of("target/jpackage/triage");
    private static final Path ARM64_IMAGE = Path.of("target/jpackage-arm64/triage");
    private static final long SIZE_LIMIT = 60L * 1000 * 1000;

    private static boolean required() {
        return "1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER")) && !Boolean.getBoolean("triage.native.skip");
    }

    private static void requireImage() {
        if (!Files.isExecutable(IMAGE.resolve("bin/triage"))) {
            if (required()) {
                fail("no native image at " + IMAGE + ": jpackage/build.sh did not run in pre-integration-test");
            }
            Assumptions.abort("no native image (built by 'mvn verify' unless -Dtriage.native.skip)");
        }
    }

    @Test
    void theBinaryBehavesLikeTheJar() {
        requireImage();
        Sh.Result r = Sh.run(List.of("bash", "jpackage/smoke.sh"), Map.of("TRIAGE_STATE_DIR", stateDir.toString()), 300);
        String all = r.out() + r.err();
        assertEquals(0, r.exit(), all);
        assertTrue(all.matches("(?s).*\\b[1-9]\\d* passed, 0 failed.*"), all);
        assertFalse(all.lines().anyMatch(l -> l.startsWith("skip ")), "nothing is skipped where CI runs (Docker, tmux, openssl):\n" + all);
    }

    private static boolean arm64Required() {
        return "1".equals(System.getenv("TRIAGE_REQUIRE_ARM64")) && !Boolean.getBoolean("triage.native.skip");
    }

    private static void requireArm64Image() {
        if (!Files.isExecutable(ARM64_IMAGE.resolve("bin/triage"))) {
            if (arm64Required()) {
                fail("no arm64 image at " + ARM64_IMAGE + ": jpackage/build.sh --arch arm64 did not run in pre-integration-test");
            }
            Assumptions.abort("no arm64 image (built by 'mvn verify' when TRIAGE_REQUIRE_ARM64=1: needs qemu-user-static)");
        }
    }

    @Test
    void theArm64BinaryBehavesLikeTheJarUnderQemu() {
        requireArm64Image();
        Sh.Result r = Sh.run(List.of("bash", "jpackage/smoke.sh", "--arch", "arm64"),
                Map.of("TRIAGE_STATE_DIR", stateDir.toString()), 1500);
        String all = r.out() + r.err();
        assertEquals(0, r.exit(), all);
        assertTrue(all.contains("ok    arm64: the image's JVM is an AArch64 program"), all);
        assertTrue(all.matches("(?s).*\\b[1-9]\\d* passed, 0 failed.*"), all);
        assertFalse(all.lines().anyMatch(l -> l.startsWith("skip ")), "nothing is skipped where CI runs:\n" + all);
    }

    /**
     * The .deb through a real dpkg in a real Debian root of its architecture (jpackage/install-check.sh):
     * installed on Debian 12 (the postinst's archive used, the same output as the jar, removed and purged
     * without a trace), refused on Debian 11 (glibc 2.31, like Ubuntu 20.04) because of libc6 (>= 2.34).
     */
    @Test
    void theDebInstallsWithDpkgOnDebian12AndIsRefusedOnDebian11() {
        requireImage();
        installCheck(List.of(), 600, "amd64");
    }

    /** The same for the arm64 .deb, in arm64 roots whose dpkg, maintainer scripts and JVM run under qemu. */
    @Test
    void theArm64DebInstallsWithDpkgOnDebian12AndIsRefusedOnDebian11() {
        requireArm64Image();
        installCheck(List.of("--arch", "arm64"), 1200, "arm64");
    }

    /** Runs the checks in the Debian roots that .ci/run made ('install-check.sh --prepare': the tests fetch nothing). */
    private void installCheck(List<String> args, int seconds, String arch) {
        if (!"0".equals(Sh.run("id", "-u").out().strip())) {
            Assumptions.abort("needs root (chroot)");
        }
        List<String> argv = new java.util.ArrayList<>(List.of("bash", "jpackage/install-check.sh"));
        argv.addAll(args);
        Sh.Result r = Sh.run(argv, Map.of(), seconds);
        String all = r.out() + r.err();
        if (r.exit() == 3) {
            if (required()) {
                fail(".ci/run did not make the Debian roots: " + all);
            }
            Assumptions.abort(all.strip());
        }
        assertEquals(0, r.exit(), all);
        assertTrue(all.contains("ok    Debian 12 (" + arch + "): dpkg -i installs it"), all);
        if (all.contains("skip  Debian 11 (" + arch + "): no Debian 11 root")) {
            // Debian's archive no longer had bullseye when the roots were made: said, not failed
            assertTrue(all.matches("(?s).*\\b7 passed, 0 failed, 1 skipped.*"), all);
            return;
        }
        assertTrue(all.contains("dpkg -i refuses to configure it: triage depends on libc6 (>= 2."), all);
        assertTrue(all.matches("(?s).*\\b9 passed, 0 failed, 0 skipped.*"), all);
    }

    /** The runtime has no java.desktop (the text UI's colours no longer need it), and each image stays under 60 MB. */
    @Test
    void theImagesWeighUnder60MbWithoutTheArchive() throws Exception {
        requireImage();
        List<Path> images = Files.isDirectory(ARM64_IMAGE) ? List.of(IMAGE, ARM64_IMAGE) : List.of(IMAGE);
        for (Path image : images) {
            String release = Files.readString(image.resolve("lib/runtime/release"));
            assertTrue(release.contains("java.base"), release);
            assertFalse(release.contains("java.desktop"), image + ": " + release);
            long bytes;
            try (Stream<Path> files = Files.walk(image)) {
                bytes = files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().matches("triage\\.(jsa|aot)"))
                        .mapToLong(p -> p.toFile().length()).sum();
            }
            assertTrue(bytes < SIZE_LIMIT, image + " weighs " + bytes + " bytes without the archive");
        }
    }

    /**
     * A board whose glibc is older than the runtime needs (Ubuntu 20.04 has 2.31) must be refused by
     * dpkg, not left with a java that cannot start: the .deb's {@code libc6 (>= V)} is at least the
     * newest GLIBC_ symbol version any of its ELF files needs, read here with readelf, apart from the
     * dpkg-shlibdeps that the build uses. Every dependency carries a version.
     */
    @Test
    void theDebsAskForTheGlibcTheirProgramsNeed() throws Exception {
        requireImage();
        List<Path> dirs = Files.isDirectory(ARM64_IMAGE) ? List.of(IMAGE.getParent(), ARM64_IMAGE.getParent()) : List.of(IMAGE.getParent());
        int checked = 0;
        for (Path dir : dirs) {
            Path deb;
            try (Stream<Path> files = Files.list(dir)) {
                deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
            }
            if (deb == null) {
                if (dir.equals(ARM64_IMAGE.getParent()) ? arm64Required() : required()) {
                    fail("no .deb in " + dir);
                }
                continue;
            }
            Path root = Files.createTempDirectory(stateDir, "deb");
            Sh.run("dpkg-deb", "-x", deb.toString(), root.toString()).orFail("dpkg-deb -x");
            int[] newest = {0, 0};
            int elves = 0;
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    byte[] head = new byte[4];
                    try (var in = Files.newInputStream(f)) {
                        if (in.read(head) != 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
                            continue;
                        }
                    }
                    elves++;
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Name: GLIBC_(\\d+)\\.(\\d+)")
                            .matcher(Sh.run("readelf", "-V", "-W", f.toString()).orFail("readelf -V").out());
                    while (m.find()) {
                        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
                        if (v[0] > newest[0] || v[0] == newest[0] && v[1] > newest[1]) {
                            newest = v;
                        }
                    }
                }
            }
            assertTrue(elves > 5, deb + ": the runtime's programs and libraries: " + elves);
            assertTrue(newest[0] == 2 && newest[1] > 0, deb + ": GLIBC_ versions needed: " + newest[0] + "." + newest[1]);
            String depends = Sh.run("dpkg-deb", "-f", deb.toString(), "Depends").orFail("dpkg-deb -f").out().strip();
            java.util.regex.Matcher libc = java.util.regex.Pattern.compile("(?:^|, )libc6 \\(>= ([0-9.]+)\\)").matcher(depends);
            assertTrue(libc.find(), deb + ": no versioned libc6 in Depends: " + depends);
            String needed = newest[0] + "." + newest[1];
            assertEquals(0, Sh.run("dpkg", "--compare-versions", libc.group(1), "ge", needed).exit(),
                    deb + ": its files need GLIBC_" + needed + ", its Depends says " + depends);
            for (String dep : depends.split(", ")) {
                assertTrue(dep.matches("[a-z0-9.+-]+(:[a-z0-9]+)? \\(>= [^)]+\\)"), deb + ": unversioned '" + dep + "' in " + depends);
            }
            checked++;
        }
        if (checked == 0 && required()) {
            fail("no .deb in " + dirs + " (fakeroot, dpkg-deb and dpkg-dev are installed by .ci/run)");
        }
        Assumptions.assumeTrue(checked > 0, "no .deb (needs dpkg-deb, fakeroot and dpkg-shlibdeps)");
    }

    @Test
    void theDebDependsOnNoDisplayOrSoundLibrary() throws Exception {
        requireImage();
        Path deb;
        try (Stream<Path> files = Files.list(IMAGE.getParent())) {
            deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElse(null);
        }
        if (deb == null) {
            if (required()) {
                fail("no .deb in " + IMAGE.getParent() + " (fakeroot and dpkg-deb are installed by .ci/run)");
            }
            Assumptions.abort("no .deb (needs dpkg-deb and fakeroot)");
        }
        String depends = Sh.run("dpkg-deb", "-f", deb.toString(), "Depends").orFail("dpkg-deb -f").out().strip();
        assertFalse(depends.isEmpty(), "a Depends line");
        for (String lib : List.of("libx11", "libxext", "libxi", "libxrender", "libxtst", "libasound", "libfreetype", "libharfbuzz")) {
            assertFalse(depends.contains(lib), "Depends: " + depends);
        }
        String contents = Sh.run("dpkg-deb", "-c", deb.toString()).orFail("dpkg-deb -c").out();
        assertTrue(contents.contains("./opt/triage/bin/triage"), contents);
        assertTrue(contents.contains("./usr/bin/triage -> "), "a packaged /usr/bin/triage link:\n" + contents);
    }
}
