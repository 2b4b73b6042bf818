package dev.triage.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The firewalld zone edit reads the file as XML and keeps every byte it does not add. */
class FirewalldZoneFileTest {
    @TempDir
    Path zones;

    private FileWrite add(String existing, String iface) throws Exception {
        Files.writeString(zones.resolve("docker.xml"), existing);
        return ActionFactory.firewalldZoneInterface(zones, "docker", iface, "why");
    }

    @Test
    void aCommentAfterTheRootThatMentionsTheEndTagIsLeftAlone() throws Exception {
        String text = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone target=\"ACCEPT\">\n  <short>docker</short>\n"
                + "  <interface name=\"docker0\"/>\n</zone>\n<!-- old: <interface name=\"br-x\"/></zone> -->\n";
        assertEquals("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone target=\"ACCEPT\">\n  <short>docker</short>\n"
                + "  <interface name=\"docker0\"/>\n  <interface name=\"docker-mail\"/>\n</zone>\n"
                + "<!-- old: <interface name=\"br-x\"/></zone> -->\n", add(text, "docker-mail").content());
    }

    @Test
    void keepsCrlfAndTheIndentationOfTheSiblings() throws Exception {
        String text = "<?xml version=\"1.0\"?>\r\n<zone>\r\n\t<short>docker</short>\r\n</zone>";
        assertEquals("<?xml version=\"1.0\"?>\r\n<zone>\r\n\t<short>docker</short>\r\n\t<interface name=\"docker-mail\"/>\r\n</zone>",
                add(text, "docker-mail").content());
    }

    @Test
    void anInterfaceWrittenWithOtherQuotingIsAlreadyThere() throws Exception {
        String text = "<zone>\n  <interface   name='docker-mail' />\n</zone>\n";
        FileWrite w = add(text, "docker-mail");
        assertEquals(text, w.content());
        assertFalse(w.needed(null));
        assertEquals(List.of("docker-mail"), FirewalldZoneFile.parse(text, "z").interfaces());
    }

    @Test
    void anEndTagOnTheLineOfTheLastChildGetsItsOwnLine() throws Exception {
        assertEquals("<zone><short>docker</short>\n<interface name=\"docker-mail\"/>\n</zone>\n",
                add("<zone><short>docker</short></zone>\n", "docker-mail").content().replace("  <interface", "<interface"));
    }

    @Test
    void refusesAFileThatIsNotAZone() {
        FixException broken = assertThrows(FixException.class, () -> add("<zone>\n  <short>docker</short>\n", "docker-mail"));
        assertTrue(broken.getMessage().contains("not well-formed XML"), broken.getMessage());
        FixException other = assertThrows(FixException.class, () -> add("<service>\n</service>\n", "docker-mail"));
        assertTrue(other.getMessage().contains("not a firewalld zone"), other.getMessage());
    }

    @Test
    void refusesADocumentTypeDeclaration() {
        assertThrows(FixException.class, () -> add("<?xml version=\"1.0\"?>\n<!DOCTYPE zone [<!ENTITY x SYSTEM \"file:///etc/shadow\">]>\n"
                + "<zone>&x;</zone>\n", "docker-mail"));
    }

    // --- real firewalld files (src/test/resources/firewalld/README.md says where they come from)

    private static final Path REAL = Path.of("src/test/resources/firewalld");

    private static List<Path> files(String folder) throws Exception {
        try (var list = Files.list(REAL.resolve(folder))) {
            return list.sorted().toList();
        }
    }

    @Test
    void everyDebianZoneGetsOneLineBeforeItsEndTagAndKeepsEveryOtherByte() throws Exception {
        List<Path> real = files("zones");
        assertTrue(real.size() >= 5, real.toString());
        for (Path f : real) {
            String text = Files.readString(f);
            assertEquals(1, text.split("</zone>", -1).length - 1, f + " has one end tag");
            FileWrite w = add(text, "br-mail");
            assertEquals(text.replace("</zone>", "  <interface name=\"br-mail\"/>\n</zone>"), w.content(), f.toString());
            List<String> before = FirewalldZoneFile.parse(text, f.toString()).interfaces();
            List<String> after = new java.util.ArrayList<>(before);
            after.add("br-mail");
            assertEquals(after, FirewalldZoneFile.parse(w.content(), f.toString()).interfaces(), f.toString());
            Files.writeString(zones.resolve("docker.xml"), w.content());
            assertFalse(ActionFactory.firewalldZoneInterface(zones, "docker", "br-mail", "why").needed(null), f + ": twice is once");
        }
    }

    @Test
    void theZoneAsFirewalldWritesItKeepsItsInterfaceAndGainsTheNewOne() throws Exception {
        String text = Files.readString(REAL.resolve("zones/docker.xml"));
        assertEquals(List.of("docker0"), FirewalldZoneFile.parse(text, "docker.xml").interfaces());
        assertEquals(List.of("docker0", "br-mail"), FirewalldZoneFile.parse(add(text, "br-mail").content(), "z").interfaces());
        assertEquals(text, add(text, "docker0").content(), "an interface it has already");
    }

    @Test
    void firewalldFilesThatAreNotZonesAreRefusedInWords() throws Exception {
        for (Path f : files("not-zones")) {
            String text = Files.readString(f);
            FixException e = assertThrows(FixException.class, () -> add(text, "br-mail"), f.toString());
            String root = text.substring(text.indexOf("<", text.indexOf("?>")) + 1).split("[ >]", 2)[0];
            assertTrue(e.getMessage().contains("not a firewalld zone") && e.getMessage().contains("<" + root + ">")
                    && e.getMessage().contains("move this file away"), e.getMessage());
            assertEquals(text, Files.readString(zones.resolve("docker.xml")), "nothing written");
        }
    }

    @Test
    void applyAndUndoOnARealZoneAreByteForByte(@TempDir Path state) throws Exception {
        byte[] before = Files.readAllBytes(REAL.resolve("zones/public.xml"));
        Path etc = state.resolve("etc");
        Path file = Files.createDirectories(etc.resolve("firewalld/zones")).resolve("docker.xml");
        Files.write(file, before);
        FixAction a = new ActionFactory(etc).build("firewalld-zone-interface", java.util.Map.of("interface", "br-mail"), "why");
        FixHost host = new FixHost(new dev.triage.host.HostSystem(state), state.resolve("backups"));
        var undo = a.apply(host);
        assertEquals(new String(before, java.nio.charset.StandardCharsets.UTF_8)
                .replace("</zone>", "  <interface name=\"br-mail\"/>\n</zone>"), Files.readString(file));
        a.undo(host, undo);
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void theEndTagIsFoundByTheParserNotByTheLastMatchingText() throws Exception {
        // CDATA that mentions the end tag, an end tag with a space, a byte order mark and a character outside the BMP
        String text = "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone>\n  <short>docker \uD83D\uDC33</short>\n"
                + "  <description><![CDATA[ see </zone> ]]></description>\n  <forward/>\n</zone >\n<!-- </zone> -->\n";
        assertEquals(text.replace("  <forward/>\n", "  <forward/>\n  <interface name=\"br-mail\"/>\n"), add(text, "br-mail").content());
    }

    @Test
    void anEmptyZoneElementIsRefusedWithWhatToDo() {
        FixException e = assertThrows(FixException.class, () -> add("<?xml version=\"1.0\"?>\n<zone/>\n", "br-mail"));
        assertTrue(e.getMessage().contains("<zone/>") && e.getMessage().contains("firewall-cmd --permanent"), e.getMessage());
    }
}
