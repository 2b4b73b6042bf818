package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Compose edits located by the YAML parser's own node positions: the real docker-mailserver and Mailu
 * files the labs and tests use, and what a line-by-line reading got wrong or had to refuse (CRLF with
 * a BOM, characters outside the BMP before the edited node, flow collections and block scalars next to
 * it, quoted keys, comments anywhere), with the refusals that stay.
 */
class ComposeNodeMarksTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Predicate<String> MAILU_IMAGES = repo -> repo.startsWith("ghcr.io/mailu/");
    private static final String DMS_REDIS = "      - ./docker-data/dms/redis:/var/lib/redis\n";

    private static String resource(String name) throws Exception {
        try (InputStream in = ComposeNodeMarksTest.class.getResourceAsStream("/compose/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The compose file a lab writes into its sandbox. */
    private static String labCompose(String lab) throws Exception {
        JsonNode root = YAML.readTree(Files.readString(Path.of("labs", lab)));
        for (JsonNode step : root.get("sandbox")) {
            if ("compose".equals(step.path("file").asText())) {
                return step.get("text").asText();
            }
        }
        throw new AssertionError("no compose file in " + lab);
    }

    private static String refusal(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    // ------------------------------------------------------------------------------ the real files

    @Test
    void theDms14LabFileLosesItsRedisMountAndOneDir() throws Exception {
        String lab = labCompose("002-dms14-state.yaml");
        String noRedis = ComposeEdits.removeVolume(lab, "mailserver", "/var/lib/redis");
        assertEquals(lab.replace(DMS_REDIS, ""), noRedis);
        String noOneDir = ComposeEdits.unsetEnvironment(noRedis, "mailserver", "ONE_DIR");
        assertEquals(lab.replace(DMS_REDIS, "").replace("      - ONE_DIR=0   # from the v13 days\n", ""), noOneDir);
        String moved = ComposeEdits.replaceVolumeSource(lab, "mailserver", "/var/mail-state", "/srv/dms/state");
        assertEquals(lab.replace("./docker-data/dms/mail-state/:/var/mail-state/", "/srv/dms/state:/var/mail-state/"), moved);
        // the labels map under the service is not an environment and stays
        assertTrue(noOneDir.contains("      com.docker.compose.project: labmail\n"), noOneDir);
    }

    @Test
    void theMailuLabFileGetsItsNewTag() throws Exception {
        String lab = labCompose("004-mailu-proxy-mail.yaml");
        assertEquals(lab.replace("ghcr.io/mailu/nginx:2.0", "ghcr.io/mailu/nginx:2024.06"),
                ComposeEdits.setImageTag(lab, MAILU_IMAGES, "2024.06"));
    }

    @Test
    void theDmsAndMailuFilesWithCrlfAndABom() throws Exception {
        String dms = "\uFEFF" + resource("dms-compose.yaml").replace("\n", "\r\n");
        String out = ComposeEdits.removeVolume(dms, "mailserver", "/var/lib/redis/");
        assertEquals(dms.replace(DMS_REDIS.replace("\n", "\r\n"), ""), out);
        assertTrue(out.startsWith("\uFEFFservices:\r\n"));
        out = ComposeEdits.unsetEnvironment(out, "mailserver", "ONE_DIR");
        assertTrue(out.contains("\r\n    environment: []\r\n    # More information"), out);
        assertEquals(dms.replace("./docker-data/dms/config/:", "/srv/dms/config:"),
                ComposeEdits.replaceVolumeSource(dms, "mailserver", "/tmp/docker-mailserver", "/srv/dms/config"));

        String mailu = "\uFEFF" + resource("mailu-docker-compose.yml").replace("\n", "\r\n");
        assertEquals(mailu.replace("${MAILU_VERSION:-2.0}", "${MAILU_VERSION:-2024.06}"),
                ComposeEdits.setImageTag(mailu, MAILU_IMAGES, "2024.06"));
        assertEquals(mailu.replace("      - \"/mailu/dkim:/dkim\"\r\n", ""),
                ComposeEdits.removeVolume(mailu, "admin", "/dkim"));
    }

    @Test
    void charactersOutsideTheBmpBeforeTheEditedNode() throws Exception {
        // the parser counts code points, a Java string UTF-16 units: each of these shifts every later position by one
        String dms = resource("dms-compose.yaml").replace("  mailserver:\n",
                "  mailserver:\n    # \uD83D\uDCEC mail for \uD835\uDD10\uD835\uDD1E\n    domainname: \"\uD83D\uDE00.example\"\n");
        String out = ComposeEdits.removeVolume(dms, "mailserver", "/var/lib/redis");
        assertEquals(dms.replace(DMS_REDIS, ""), out);
        assertEquals(dms.replace("./docker-data/dms/redis:", "/srv/redis:"),
                ComposeEdits.replaceVolumeSource(dms, "mailserver", "/var/lib/redis", "/srv/redis"));
        assertEquals(dms.replace("docker-mailserver:latest", "docker-mailserver:14.0.0"),
                ComposeEdits.setImageTag(dms, repo -> repo.endsWith("/docker-mailserver"), "14.0.0"));
        assertEquals(dms.replace("    environment:\n      - ONE_DIR=0\n", "    environment: []\n"),
                ComposeEdits.unsetEnvironment(dms, "mailserver", "ONE_DIR"));
        // the bytes outside the removed line are the same bytes
        byte[] before = dms.getBytes(StandardCharsets.UTF_8);
        byte[] after = out.getBytes(StandardCharsets.UTF_8);
        int cut = dms.substring(0, dms.indexOf(DMS_REDIS)).getBytes(StandardCharsets.UTF_8).length;
        int removed = DMS_REDIS.getBytes(StandardCharsets.UTF_8).length;
        assertArrayEquals(Arrays.copyOfRange(before, 0, cut), Arrays.copyOfRange(after, 0, cut));
        assertArrayEquals(Arrays.copyOfRange(before, cut + removed, before.length), Arrays.copyOfRange(after, cut, after.length));
    }

    @Test
    void aNonBmpCharacterInTheEditedValueItself() {
        String text = "services:\n  app:\n    volumes:\n      - \"/srv/\uD83D\uDCE6:/data\"\n      - /srv/b:/b\n";
        assertEquals("services:\n  app:\n    volumes:\n      - \"/srv/new:/data\"\n      - /srv/b:/b\n",
                ComposeEdits.replaceVolumeSource(text, "app", "/data", "/srv/new"));
        assertEquals("services:\n  app:\n    volumes:\n      - /srv/b:/b\n", ComposeEdits.removeVolume(text, "app", "/data"));
    }

    // ----------------------------------------------------------- what a line reading could not place

    @Test
    void flowCollectionsAndBlockScalarsNextToTheEditedNode() {
        String text = """
                services:
                  mailserver:
                    image: mailserver/docker-mailserver:13
                    dns: [ 192.168.203.254,
                  192.168.203.253 ]
                    command: >
                      supervisord -c
                      /etc/supervisor/supervisord.conf
                    healthcheck: {test: ["CMD", "ss", "-lnt"],
                       interval: 30s}
                    entrypoint: |
                      volumes:
                        - /not/a:/volume
                    environment: [ONE_DIR=0]
                    volumes:
                      - ./docker-data/dms/mail-state/:/var/mail-state/
                      - ./docker-data/dms/redis:/var/lib/redis
                """;
        String out = ComposeEdits.removeVolume(text, "mailserver", "/var/lib/redis");
        assertEquals(text.replace(DMS_REDIS, ""), out);
        assertSame(text, ComposeEdits.removeVolume(text, "mailserver", "/volume"));
        assertEquals(text.replace("docker-mailserver:13", "docker-mailserver:14"),
                ComposeEdits.setImageTag(text, repo -> repo.endsWith("docker-mailserver"), "14"));
        // the flow sequence itself is read: nothing to remove from it, nothing to refuse
        assertSame(text, ComposeEdits.unsetEnvironment(text, "mailserver", "OVERRIDE_HOSTNAME"));
        String m = refusal(() -> ComposeEdits.unsetEnvironment(text, "mailserver", "ONE_DIR"));
        assertTrue(m.contains("line 14") && m.contains("flow style"), m);
    }

    @Test
    void aFlowServiceWhoseImageIsAlreadyRightIsLeftAsItIs() {
        String text = "services:\n  web: {image: 'ghcr.io/mailu/nginx:2024.06', restart: always}\n"
                + "  admin:\n    image: ghcr.io/mailu/admin:2.0\n";
        assertEquals(text.replace("admin:2.0", "admin:2024.06"), ComposeEdits.setImageTag(text, MAILU_IMAGES, "2024.06"));
    }

    @Test
    void quotedKeysAndCommentsAnywhere() {
        String text = """
                # a comment before everything
                "services":
                # a comment at the left edge, inside services
                  'mailserver':   # the mail server
                      # indented deeper than the keys
                    "image": "mailserver/docker-mailserver:14.0.0"
                    "environment":
                      # a comment before the first entry
                      "ONE_DIR": "0"   # from the v13 days
                  # a comment at another indent
                      "TZ": Europe/Berlin
                    'volumes':    # the mounts
                    # at the key's own indent
                    - "./redis:/var/lib/redis"
                """;
        assertEquals(text.replace("      \"ONE_DIR\": \"0\"   # from the v13 days\n", ""),
                ComposeEdits.unsetEnvironment(text, "mailserver", "ONE_DIR"));
        assertEquals(text.replace("    - \"./redis:/var/lib/redis\"\n", "").replace("'volumes':    # the mounts",
                "'volumes': []    # the mounts"), ComposeEdits.removeVolume(text, "mailserver", "/var/lib/redis"));
        assertEquals(text.replace("\"./redis:", "\"/srv/redis:"),
                ComposeEdits.replaceVolumeSource(text, "mailserver", "/var/lib/redis", "/srv/redis"));
        assertEquals(text.replace(":14.0.0", ":14.0.1"),
                ComposeEdits.setImageTag(text, repo -> repo.contains("docker-mailserver"), "14.0.1"));
    }

    @Test
    void aKeyWrittenWithAnEscapeIsTheSameKey() {
        String text = "services:\n  mailserver:\n    \"environ\\x6dent\":\n      - ONE_DIR=0\n      - TZ=UTC\n";
        assertEquals("services:\n  mailserver:\n    \"environ\\x6dent\":\n      - TZ=UTC\n",
                ComposeEdits.unsetEnvironment(text, "mailserver", "ONE_DIR"));
    }

    @Test
    void aMultiLineEntryGoesWholeAndCommentsAfterItStay() {
        String text = """
                services:
                  mailserver:
                    environment:
                      LOG_LEVEL: >-
                        debug

                      # keep this comment
                      ONE_DIR: "0"
                    volumes:
                      -
                        type: bind
                        source: ./redis
                        target: /var/lib/redis
                      # keep this one too
                      - ./mail:/var/mail
                """;
        assertEquals(text.replace("      LOG_LEVEL: >-\n        debug\n", ""),
                ComposeEdits.unsetEnvironment(text, "mailserver", "LOG_LEVEL"));
        assertEquals(text.replace("      -\n        type: bind\n        source: ./redis\n        target: /var/lib/redis\n", ""),
                ComposeEdits.removeVolume(text, "mailserver", "/var/lib/redis"));
    }

    // -------------------------------------------------------------------------------- refusals

    @Test
    void refusesAnAnchorThatAnotherPlaceUses() {
        String text = """
                services:
                  mailserver:
                    volumes:
                      - &redis ./redis:/var/lib/redis
                      - ./mail:/var/mail
                  backup:
                    volumes:
                      - *redis
                """;
        String m = refusal(() -> ComposeEdits.removeVolume(text, "mailserver", "/var/lib/redis"));
        assertTrue(m.contains("line 4") && m.contains("anchor (&redis)"), m);
        m = refusal(() -> ComposeEdits.replaceVolumeSource(text, "mailserver", "/var/lib/redis", "/srv/r"));
        assertTrue(m.contains("anchor (&redis)"), m);
        // the other entries of the same list are edited
        assertEquals(text.replace("      - ./mail:/var/mail\n", ""), ComposeEdits.removeVolume(text, "mailserver", "/var/mail"));

        String inside = """
                services:
                  mailserver:
                    volumes:
                      - type: bind
                        source: &src ./redis
                        target: /var/lib/redis
                  backup:
                    volumes:
                      - type: bind
                        source: *src
                        target: /backup/redis
                """;
        m = refusal(() -> ComposeEdits.removeVolume(inside, "mailserver", "/var/lib/redis"));
        assertTrue(m.contains("defines the YAML anchor &src"), m);
        m = refusal(() -> ComposeEdits.replaceVolumeSource(inside, "backup", "/backup/redis", "/srv/r"));
        assertTrue(m.contains("alias (*src)") && m.contains("line 5"), m);
    }

    @Test
    void refusesMergeKeysWhereTheyMayHoldWhatIsEdited() {
        String text = """
                x-env: &env
                  TZ: UTC
                x-common: &common
                  restart: always
                  environment:
                    ONE_DIR: 0
                services:
                  mailserver:
                    <<: *common
                    image: mailserver/docker-mailserver:14
                  backup:
                    <<: *common
                    environment:
                      <<: *env
                      ONE_DIR: 0
                  web:
                    <<: *common
                    environment:
                      ONE_DIR: 0
                """;
        String m = refusal(() -> ComposeEdits.unsetEnvironment(text, "mailserver", "ONE_DIR"));
        assertTrue(m.contains("merge key") && m.contains("line 9"), m);
        m = refusal(() -> ComposeEdits.unsetEnvironment(text, "backup", "ONE_DIR"));
        assertTrue(m.contains("merge key") && m.contains("line 14"), m);
        // its own environment: wins over the merged one, so it is edited
        assertEquals(text.replace("    environment:\n      ONE_DIR: 0\n", "    environment: {}\n"),
                ComposeEdits.unsetEnvironment(text, "web", "ONE_DIR"));
        m = refusal(() -> ComposeEdits.setImageTag(text, repo -> true, "15"));
        assertTrue(m.contains("merge key") && m.contains("backup"), m);
    }

    @Test
    void refusesSeveralDocumentsInWordsThatSayWhatToDo() {
        String text = "services:\n  mailserver:\n    environment:\n      - ONE_DIR=0\n---\nservices:\n  web:\n    image: nginx\n";
        String m = refusal(() -> ComposeEdits.unsetEnvironment(text, "mailserver", "ONE_DIR"));
        assertTrue(m.contains("2 YAML documents") && m.contains("line 6") && m.contains("Split it into one file per document")
                && m.contains("remove the variable ONE_DIR from services.mailserver.environment"), m);
        // a document start marker alone is one document
        assertEquals("---\nservices:\n  mailserver:\n    environment: []\n",
                ComposeEdits.unsetEnvironment("---\nservices:\n  mailserver:\n    environment:\n      - ONE_DIR=0\n",
                        "mailserver", "ONE_DIR"));
    }

    @Test
    void refusesTagsALoneCarriageReturnAndEscapes() {
        String reset = "services:\n  mailserver:\n    volumes: !reset\n      - ./redis:/var/lib/redis\n";
        assertTrue(refusal(() -> ComposeEdits.removeVolume(reset, "mailserver", "/var/lib/redis")).contains("YAML tag"));
        String cr = "services:\r  mailserver:\r    volumes:\r      - ./redis:/var/lib/redis\r";
        String m = refusal(() -> ComposeEdits.removeVolume(cr, "mailserver", "/var/lib/redis"));
        assertTrue(m.contains("line 1") && m.contains("carriage return"), m);
        String escaped = "services:\n  mailserver:\n    volumes:\n      - \"./re\\x64is:/var/lib/redis\"\n";
        m = refusal(() -> ComposeEdits.replaceVolumeSource(escaped, "mailserver", "/var/lib/redis", "/srv/redis"));
        assertTrue(m.contains("escape sequences"), m);
        // removing the whole entry does not depend on how it is written
        assertEquals("services:\n  mailserver:\n    volumes: []\n", ComposeEdits.removeVolume(escaped, "mailserver", "/var/lib/redis"));
    }
}
