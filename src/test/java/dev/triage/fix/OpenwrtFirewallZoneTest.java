package dev.triage.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The durable OpenWrt fix edits /etc/config/firewall as text: exact lines added, everything else kept. */
class OpenwrtFirewallZoneTest {
    private static final String FIREWALL = """
            config defaults
            \toption input 'REJECT'
            \toption forward 'REJECT'

            # dockerd's zone
            config zone 'docker'
            \toption name 'docker'
            \toption input 'ACCEPT'
            \toption output 'ACCEPT'
            \toption forward 'ACCEPT'
            \tlist device 'docker0'

            config zone
            \toption name 'wan'
            \tlist network 'wan'
            \toption masq '1'
            """;

    @TempDir
    Path dir;

    private Path config(String text) throws Exception {
        Path file = dir.resolve("firewall");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void addsTheDeviceToTheDockerZoneAndAForwardingToWan() throws Exception {
        FileWrite w = ActionFactory.openwrtFirewallZone(config(FIREWALL), "docker-mail", "docker", "wan", "why");
        String expected = FIREWALL.replace("\tlist device 'docker0'\n", "\tlist device 'docker0'\n\tlist device 'docker-mail'\n")
                + "\nconfig forwarding\n\toption src 'docker'\n\toption dest 'wan'\n";
        assertEquals(expected, w.content());
        assertTrue(w.preview().contains("+\tlist device 'docker-mail'"), w.preview().toString());
    }

    @Test
    void aSecondPlanOnTheResultChangesNothing() throws Exception {
        Path file = config(FIREWALL);
        FileWrite first = ActionFactory.openwrtFirewallZone(file, "docker-mail", "docker", "wan", "why");
        Files.writeString(file, first.content());
        FileWrite second = ActionFactory.openwrtFirewallZone(file, "docker-mail", "docker", "wan", "why");
        assertEquals(first.content(), second.content());
        assertFalse(second.needed(null));
    }

    @Test
    void neverAWildcardAndNeverWithoutTheDockerZone() throws Exception {
        Path file = config(FIREWALL);
        assertThrows(FixException.class, () -> ActionFactory.openwrtFirewallZone(file, "br-+", "docker", "wan", "why"));
        Path noZone = config("config defaults\n\toption input 'REJECT'\n");
        var e = assertThrows(FixException.class, () -> ActionFactory.openwrtFirewallZone(noZone, "docker-mail", "docker", "wan", "why"));
        assertTrue(e.getMessage().contains("no 'docker' zone"), e.getMessage());
    }

    @Test
    void uciValuesAreReadQuotedOrNot() {
        List<String> section = List.of("config zone", "\toption name \"docker\"", "\tlist device docker0", "\tlist device 'br-x'");
        assertEquals("docker", UciText.option(section, "name"));
        assertEquals(List.of("docker0", "br-x"), UciText.lists(section, "device"));
    }

    @Test
    void composeNetworkOptionsWriteAnOverrideForANetworkTheComposeFileDeclares() throws Exception {
        Path compose = dir.resolve("docker-compose.yml");
        Files.writeString(compose, "services:\n  app:\n    image: x\n    networks: [mail]\nnetworks:\n  mail: {}\n");
        FileWrite w = ActionFactory.composeNetworkOptions(compose, "mail",
                List.of("com.docker.network.bridge.name=docker-mail", "com.docker.network.bridge.enable_ip_masquerade=true"), "why");
        assertEquals(dir.resolve("docker-compose.override.yml").toString(), w.path());
        assertTrue(w.content().contains("networks:\n  mail:\n    driver_opts:\n      com.docker.network.bridge.name: \"docker-mail\"\n"
                + "      com.docker.network.bridge.enable_ip_masquerade: \"true\"\n"), w.content());
        assertThrows(FixException.class, () -> ActionFactory.composeNetworkOptions(compose, "other", List.of(), "why"));
        assertThrows(FixException.class, () -> ActionFactory.composeNetworkOptions(compose, "mail",
                List.of("com.docker.network.bridge.name=$(reboot)"), "why"));
    }

    @Test
    void commentsDisabledForwardingsAndMissingZonesAreHandled() throws Exception {
        String text = FIREWALL.replace("\toption name 'docker'", "\toption name 'docker' # dockerd")
                .replace("config zone\n\toption name 'wan'", "# --- wan ---\nconfig zone\n\toption name 'wan'")
                + "\nconfig forwarding\n\toption src 'docker'\n\toption dest 'wan'\n\toption enabled '0'\n";
        FileWrite w = ActionFactory.openwrtFirewallZone(config(text), "docker-mail", "docker", "wan", "why");
        assertTrue(w.content().contains("\tlist device 'docker0'\n\tlist device 'docker-mail'\n\n# --- wan ---"), w.content());
        assertTrue(w.content().endsWith("config forwarding\n\toption src 'docker'\n\toption dest 'wan'\n"),
                "a disabled forwarding does not count: " + w.content());
        Path noWan = config(FIREWALL.replace("\toption name 'wan'", "\toption name 'wan6'"));
        assertThrows(FixException.class, () -> ActionFactory.openwrtFirewallZone(noWan, "docker-mail", "docker", "wan", "why"));
    }

    @Test
    void aCrlfFileStaysCrlf() throws Exception {
        FileWrite w = ActionFactory.openwrtFirewallZone(config(FIREWALL.replace("\n", "\r\n")), "docker-mail", "docker", "wan", "why");
        assertFalse(w.content().replace("\r\n", "").contains("\n"), "no bare LF: " + w.content());
    }
}
