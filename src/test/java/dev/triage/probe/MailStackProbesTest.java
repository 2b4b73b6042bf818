package dev.triage.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The mail-stack probes that read no Docker: version, PROXY_PROTOCOL, env files, path owners. */
class MailStackProbesTest {
    @TempDir
    Path dir;

    private static ProbeContext context() {
        return new ProbeContext(null, null, Instant.now().plusSeconds(5));
    }

    // --- version-compare

    private static ProbeResult<VersionCompareProbe.Evidence> compare(Map<String, Object> params) {
        return new VersionCompareProbe().run(new ProbeParams(params), context());
    }

    @Test
    void versionAtLeast() {
        var r = compare(Map.of("version", "2024.06.5", "at-least", "2024.06.0"));
        assertEquals("at-least", r.outcome());
        assertEquals(new VersionCompareProbe.Evidence("2024.06.5", "2024.06.0", "at least"), r.evidence());
        assertEquals("at-least", compare(Map.of("version", "2024.06", "at-least", "2024.06.0")).outcome(), "equal");
        assertEquals("at-least", compare(Map.of("version", "v14.0.0", "at-least", "13.3.11")).outcome());
    }

    @Test
    void versionOlder() {
        var r = compare(Map.of("version", "2.0.31", "at-least", "2024.06.0"));
        assertEquals("older", r.outcome());
        assertEquals("older", r.evidence().reading());
        assertTrue(r.summary().contains("older than 2024.06.0"), r.summary());
        assertEquals("older", compare(Map.of("version", "9.0", "at-least", "10.0")).outcome(), "numeric, not text");
    }

    @Test
    void versionUnknown() {
        var r = compare(Map.of("version", "latest", "at-least", "2024.06.0"));
        assertEquals("unknown", r.outcome());
        assertEquals("not a release number", r.evidence().reading());
        assertTrue(r.summary().contains("'latest'"), r.summary());
        var empty = compare(Map.of("at-least", "2024.06.0"));
        assertEquals("unknown", empty.outcome());
        assertTrue(empty.summary().contains("the release is unknown"), empty.summary());
        assertEquals("unknown", compare(Map.of("version", "master", "at-least", "2024.06.0")).outcome(),
                "master is only newest when listed");
    }

    @Test
    void versionNewestNames() {
        var r = compare(Map.of("version", "master", "at-least", "2024.06.0", "newest", List.of("master")));
        assertEquals("at-least", r.outcome());
        assertEquals("development head", r.evidence().reading());
        assertEquals("unknown", compare(Map.of("version", "edge", "at-least", "2024.06.0", "newest", List.of("master"))).outcome());
    }

    @Test
    void versionInvalidAtLeastThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> compare(Map.of("version", "2.0", "at-least", "latest")));
        assertTrue(e.getMessage().contains("latest"), e.getMessage());
    }

    // --- mailu-proxy-protocol

    private static ProbeResult<MailuProxyProtocolProbe.Evidence> proxy(String value) {
        return new MailuProxyProtocolProbe().run(new ProbeParams(Map.of("value", value)), context());
    }

    @Test
    void proxyOff() {
        var r = proxy("");
        assertEquals("off", r.outcome());
        assertEquals(List.of(), r.evidence().ports());
        assertFalse(r.evidence().port25());
        assertEquals("off", proxy("false").outcome());
    }

    @Test
    void proxyPort25Proxied() {
        var r = proxy("mail");
        assertEquals("port25-proxied", r.outcome());
        assertTrue(r.evidence().port25());
        assertEquals(List.of(25, 110, 143, 465, 587, 993, 995, 4190), r.evidence().ports());
        assertEquals("", r.evidence().without25());
        assertFalse(r.evidence().needs202406());
        assertNull(r.evidence().error());
        var all = proxy("all");
        assertEquals("port25-proxied", all.outcome());
        assertEquals("http", all.evidence().without25());
        var list = proxy("25,465");
        assertEquals("port25-proxied", list.outcome());
        assertTrue(list.evidence().needs202406());
    }

    @Test
    void proxyPort25NotProxied() {
        var r = proxy("http");
        assertEquals("port25-not-proxied", r.outcome());
        assertFalse(r.evidence().port25());
        assertEquals(List.of(80, 443), r.evidence().ports());
        assertEquals("port25-not-proxied", proxy("465,993").outcome());
    }

    @Test
    void proxyInvalid() {
        var r = proxy("smtps");
        assertEquals("invalid", r.outcome());
        assertNotNull(r.evidence().error());
        assertTrue(r.evidence().error().contains("smtps"), r.evidence().error());
        assertEquals(List.of(), r.evidence().ports());
        assertEquals("invalid", proxy("mail,70000").outcome());
    }

    // --- env-value from a file

    private Path envFile(String content) throws Exception {
        Path file = dir.resolve("mailu.env");
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private ProbeResult<EnvValueProbe.Evidence> env(Path file, String key) throws Exception {
        return new EnvValueProbe().run(new ProbeParams(Map.of("file", file.toString(), "key", key)), context());
    }

    @Test
    void envPlainValue() throws Exception {
        Path file = envFile("DOMAIN=example.org\nPROXY_PROTOCOL=mail\nREAL_IP_FROM=198.18.0.9/32\n");
        var r = env(file, "PROXY_PROTOCOL");
        assertEquals("set", r.outcome());
        assertEquals(new EnvValueProbe.Evidence("PROXY_PROTOCOL", "mail", file.toString(), 1), r.evidence());
    }

    @Test
    void envExportedValue() throws Exception {
        var r = env(envFile("export PROXY_PROTOCOL=all\n"), "PROXY_PROTOCOL");
        assertEquals("set", r.outcome());
        assertEquals("all", r.evidence().value());
    }

    @Test
    void envQuotedValues() throws Exception {
        Path file = envFile("A=\"two words\"\nB='single'\nC=\"\"\nD=\"unbalanced\n");
        assertEquals("two words", env(file, "A").evidence().value());
        assertEquals("single", env(file, "B").evidence().value());
        var c = env(file, "C");
        assertEquals("unset", c.outcome(), "KEY=\"\" is what unset looks like to the programs reading it");
        assertEquals(1, c.evidence().occurrences());
        assertEquals("\"unbalanced", env(file, "D").evidence().value());
    }

    @Test
    void envCommentsAreNotSettings() throws Exception {
        Path file = envFile("# PROXY_PROTOCOL=mail\n  #PROXY_PROTOCOL=all\nDOMAIN=example.org\n");
        var r = env(file, "PROXY_PROTOCOL");
        assertEquals("unset", r.outcome());
        assertEquals(0, r.evidence().occurrences());
    }

    @Test
    void envLeadingWhitespaceIsIgnored() throws Exception {
        var r = env(envFile("DOMAIN=example.org\n  PROXY_PROTOCOL=mail\n\tREAL_IP_FROM=198.18.0.9\n"), "PROXY_PROTOCOL");
        assertEquals("set", r.outcome());
        assertEquals("mail", r.evidence().value());
    }

    @Test
    void envCrlf() throws Exception {
        var r = env(envFile("DOMAIN=example.org\r\nPROXY_PROTOCOL=mail\r\n"), "PROXY_PROTOCOL");
        assertEquals("mail", r.evidence().value());
    }

    @Test
    void envLongerKeyIsAnotherKey() throws Exception {
        Path file = envFile("REAL_IP_FROM_X=1\nREAL_IP_FROMX=2\n");
        assertEquals("unset", env(file, "REAL_IP_FROM").outcome());
        Path both = envFile("REAL_IP_HEADER_OTHER=\nREAL_IP_HEADER=X-Forwarded-For\nREAL_IP_HEADER_OTHER=zzz\n");
        var r = env(both, "REAL_IP_HEADER");
        assertEquals("X-Forwarded-For", r.evidence().value());
        assertEquals(1, r.evidence().occurrences());
    }

    @Test
    void envLastOccurrenceWins() throws Exception {
        Path file = envFile("PROXY_PROTOCOL=mail\nDOMAIN=x\nexport PROXY_PROTOCOL=http\nPROXY_PROTOCOL=all\n");
        var r = env(file, "PROXY_PROTOCOL");
        assertEquals("set", r.outcome());
        assertEquals("all", r.evidence().value());
        assertEquals(3, r.evidence().occurrences());
        assertTrue(r.summary().contains("3 times"), r.summary());
    }

    @Test
    void envUnset() throws Exception {
        Path file = envFile("DOMAIN=example.org\n");
        var r = env(file, "PROXY_PROTOCOL");
        assertEquals("unset", r.outcome());
        assertEquals(file.toString(), r.evidence().source());
        assertEquals("unset", env(envFile(""), "PROXY_PROTOCOL").outcome());
    }

    @Test
    void envNoSource() throws Exception {
        var r = new EnvValueProbe().run(new ProbeParams(Map.of("key", "PROXY_PROTOCOL")), context());
        assertEquals("no-source", r.outcome());
        var blank = new EnvValueProbe().run(new ProbeParams(Map.of("key", "PROXY_PROTOCOL", "file", "", "container", "")), context());
        assertEquals("no-source", blank.outcome());
    }

    @Test
    void envMissingFileIsUnreadable() throws Exception {
        var r = env(dir.resolve("nope.env"), "PROXY_PROTOCOL");
        assertEquals("unreadable", r.outcome());
        assertEquals(0, r.evidence().occurrences());
        assertTrue(r.summary().contains("nope.env"), r.summary());
    }

    // --- path-owner

    private static ProbeResult<PathOwnerProbe.Evidence> owner(String path) {
        return new PathOwnerProbe().run(new ProbeParams(Map.of("path", path)), context());
    }

    @Test
    void ownerOfADirectoryAndItsChildren() throws Exception {
        Path data = Files.createDirectory(dir.resolve("mail-data"));
        Files.writeString(data.resolve("b.txt"), "x");
        Files.createDirectory(data.resolve("a-dir"));
        int uid = (Integer) Files.getAttribute(data, "unix:uid");
        int gid = (Integer) Files.getAttribute(data, "unix:gid");
        assumeNotNobody(uid);
        var r = owner(data.toString());
        assertEquals("readable", r.outcome());
        assertEquals(uid, r.evidence().uid());
        assertEquals(gid, r.evidence().gid());
        assertEquals(9, r.evidence().mode().length());
        assertEquals(List.of("a-dir " + uid + ":" + gid, "b.txt " + uid + ":" + gid), r.evidence().children());
        assertNull(r.evidence().error());
        assertTrue(r.summary().contains("owned by " + uid + ":" + gid), r.summary());
    }

    @Test
    void ownerOfAFileHasNoChildren() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assumeNotNobody((Integer) Files.getAttribute(file, "unix:uid"));
        var r = owner(file.toString());
        assertEquals("readable", r.outcome());
        assertEquals(List.of(), r.evidence().children());
    }

    @Test
    void ownerOfAMissingPath() {
        var r = owner(dir.resolve("nope").toString());
        assertEquals("missing", r.outcome());
        assertNull(r.evidence().uid());
    }

    @Test
    void ownerNotGiven() {
        assertEquals("not-given", new PathOwnerProbe().run(new ProbeParams(Map.of()), context()).outcome());
        assertEquals("not-given", owner("").outcome());
    }

    private static void assumeNotNobody(int uid) {
        org.junit.jupiter.api.Assumptions.assumeTrue(uid != 65534, "the tests run as nobody: everything looks squashed");
    }
}
