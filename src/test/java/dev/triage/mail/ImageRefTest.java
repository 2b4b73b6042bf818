package dev.triage.mail;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ImageRefTest {
    private static final String HEX64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static void assertRef(String reference, String repository, String tag, String digest) {
        ImageRef r = ImageRef.parse(reference);
        assertEquals(repository, r.repository(), "repository of " + reference);
        assertEquals(tag, r.tag(), "tag of " + reference);
        assertEquals(digest, r.digest(), "digest of " + reference);
    }

    // --- parse

    @Test
    void parsesRepositoryAndTag() {
        assertRef("mailserver/docker-mailserver:14.0.0", "mailserver/docker-mailserver", "14.0.0", null);
        assertFalse(ImageRef.parse("mailserver/docker-mailserver:14.0.0").isId());
    }

    @Test
    void dropsDockerIoPrefix() {
        assertRef("docker.io/mailserver/docker-mailserver:latest", "mailserver/docker-mailserver", "latest", null);
    }

    @Test
    void keepsAnotherRegistry() {
        assertRef("ghcr.io/mailu/nginx:2024.06", "ghcr.io/mailu/nginx", "2024.06", null);
    }

    @Test
    void aRegistryPortIsNotATag() {
        assertRef("registry.local:5000/x/y:1.2", "registry.local:5000/x/y", "1.2", null);
        assertRef("registry.local:5000/x/y", "registry.local:5000/x/y", null, null);
    }

    @Test
    void noTag() {
        assertRef("redis", "redis", null, null);
        assertFalse(ImageRef.parse("redis").isId());
        assertEquals("redis", ImageRef.parse("redis").toString());
    }

    @Test
    void dropsIndexDockerIoAndLibrary() {
        assertRef("index.docker.io/library/redis:7", "redis", "7", null);
        assertRef("docker.io/library/redis:7", "redis", "7", null);
        assertRef("library/redis", "redis", null, null);
    }

    @Test
    void digestWithoutTag() {
        assertRef("x/y@sha256:" + HEX64, "x/y", null, "sha256:" + HEX64);
        assertFalse(ImageRef.parse("x/y@sha256:" + HEX64).isId());
    }

    @Test
    void digestWithTag() {
        assertRef("x/y:1.0@sha256:" + HEX64, "x/y", "1.0", "sha256:" + HEX64);
        assertEquals("x/y:1.0@sha256:" + HEX64, ImageRef.parse("x/y:1.0@sha256:" + HEX64).toString());
    }

    @Test
    void imageIdIsAnId() {
        assertTrue(ImageRef.parse("sha256:" + HEX64).isId());
        assertTrue(ImageRef.parse(HEX64.substring(0, 12)).isId(), "a short id");
    }

    // --- matches

    @Test
    void globMatchesOneLevel() {
        assertTrue(ImageRef.parse("ghcr.io/mailu/nginx").matches("ghcr.io/mailu/*"));
        assertTrue(ImageRef.parse("ghcr.io/mailu/nginx:2024.06").matches("ghcr.io/mailu/*"), "the tag is ignored");
        assertFalse(ImageRef.parse("ghcr.io/mailu/sub/x").matches("ghcr.io/mailu/*"), "* does not cross a slash");
        assertFalse(ImageRef.parse("ghcr.io/mailux/nginx").matches("ghcr.io/mailu/*"));
        assertFalse(ImageRef.parse("mailu/nginx").matches("ghcr.io/mailu/*"), "another registry");
    }

    @Test
    void hubGlob() {
        assertTrue(ImageRef.parse("mailu/nginx:2.0").matches("mailu/*"));
        assertTrue(ImageRef.parse("docker.io/mailu/admin").matches("mailu/*"));
        assertFalse(ImageRef.parse("ghcr.io/mailu/nginx").matches("mailu/*"));
        assertFalse(ImageRef.parse("mailux/nginx").matches("mailu/*"));
    }

    @Test
    void exactNames() {
        assertTrue(ImageRef.parse("mailserver/docker-mailserver:14.0.0").matches("mailserver/docker-mailserver"));
        assertFalse(ImageRef.parse("mailserver/docker-mailserver-x").matches("mailserver/docker-mailserver"));
        assertFalse(ImageRef.parse("mailserver/docker-mailserver").matches("mailserver/docker-mailserve"));
        assertFalse(ImageRef.parse("mailserverXdocker-mailserver").matches("mailserver.docker-mailserver"),
                "a dot in the pattern is literal");
    }

    @Test
    void dockerIoFormsOnEitherSide() {
        assertTrue(ImageRef.parse("docker.io/mailserver/docker-mailserver:latest").matches("mailserver/docker-mailserver"));
        assertTrue(ImageRef.parse("mailserver/docker-mailserver").matches("docker.io/mailserver/docker-mailserver"));
        assertTrue(ImageRef.parse("docker.io/mailserver/docker-mailserver").matches("docker.io/mailserver/docker-mailserver"));
        assertTrue(ImageRef.parse("redis:7").matches("docker.io/library/redis"));
        assertTrue(ImageRef.parse("docker.io/mailu/nginx").matches("docker.io/mailu/*"));
    }

    @Test
    void theSplitRuleSkipsTheTextOfAVariable() {
        // positions marked as a variable's text (here from 20 on) never split: their ':' and '@' are not a tag or digest
        String ref = "ghcr.io/mailu/nginx:a:b@c";
        assertEquals(new ImageRef.Split(21, 23), ImageRef.split(ref, k -> false));
        assertEquals(new ImageRef.Split(19, -1), ImageRef.split(ref, k -> k >= 20));
        assertEquals(new ImageRef.Split(-1, -1), ImageRef.split("registry.local:5000/x", k -> false));
    }

    @Test
    void theRepositoryEndsAtTheTagOrTheDigest() {
        assertEquals(19, ImageRef.split("ghcr.io/mailu/nginx:2.0@sha256:" + HEX64, k -> false).repositoryEnd(90));
        assertEquals(5, ImageRef.split("redis@sha256:" + HEX64, k -> false).repositoryEnd(77));
        assertEquals(21, ImageRef.split("registry.local:5000/x", k -> false).repositoryEnd(21));
    }

    @Test
    void tagsFollowDockersGrammar() {
        for (String tag : new String[] {"2.0", "2024.06", "latest", "_x", "A-b_c.1", "a".repeat(128)}) {
            assertTrue(ImageRef.isTag(tag), tag);
        }
        for (String tag : new String[] {"", ".1", "-x", "2.0 # x", "a:b", "a/b", "a@b", "a".repeat(129), null}) {
            assertFalse(ImageRef.isTag(tag), String.valueOf(tag));
        }
    }
}
