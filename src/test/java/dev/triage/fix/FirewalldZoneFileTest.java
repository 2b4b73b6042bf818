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
}
