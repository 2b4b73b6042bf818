package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triage.tls.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A junior admin's whole walk of each of the five symptoms in the text UI, in tmux at 80x24 under
 * LANG=C and NO_COLOR=1 (the ASCII profile): pick the symptom, fill the form, run, read the
 * verdict, open the fix plans (none is applied), save the report into a folder of the test's own
 * and read it back. Every screen is checked for what must be whole (verdict title, Path line, plan
 * lines), for raw internal values, and for a hint line that is whole and honest about scrolling.
 * The problems are real: a DROP rule for the test's own bridge (removed after), a network created
 * without masquerading and a pretend outside server in a namespace of the test's own, a private
 * Postfix and HAProxy on loopback, created containers of re-tagged images, files in temp folders.
 */
class WizardTmuxWalkIT extends MailStackTest {
    private static final Pattern RAW = Pattern.compile(
            "\\$\\{|<[^<>]*none>|\\b(?:java|javax|sun)\\.[a-z]|\\bdev\\.triage\\.[a-z]|\\borg\\.apache\\."
                    + "|\\b[A-Z]\\w*(?:Exception|Error)\\b|\\b(?:HEALTHY|PROBLEM|INCONCLUSIVE|CRITICAL|PASSED|FAILED|SKIPPED|RUNNING)\\b");
    /** true or false on their own in prose: after a colon, "is" or "said", or in parentheses (KEY=false is a setting). */
    private static final Pattern RAW_BOOLEAN = Pattern.compile("(?:[:(]|\\bis|\\bsaid)\\s*(?:true|false)\\b");

    @TempDir
    Path work;

    private Tmux tmux;

    @BeforeAll
    static void requireTools() {
        MailServers.assume(Tmux.available(), "tmux");
    }

    @AfterEach
    void killTmux() {
        if (tmux != null) {
            tmux.close(); // before the base class looks for leftovers: the program must have ended
        }
    }

    @Test
    void bridgeIntercontainerForwardBlocked() throws Exception {
        String net = network();
        // a DROP for this test's bridge only, in DOCKER-USER, deleted after the test; no fix is applied
        faultRule("-i", bridgeOf(net), "-o", bridgeOf(net), "-j", "DROP");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("network", net);
        walk("resolve", "Containers can resolve each other", fields, "forward-blocked", true);
    }

    @Test
    void bridgeEgressMasqueradeDisabled() throws Exception {
        String net = unique("nomasq");
        docker("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", net).orFail("network");
        onCleanup(() -> docker("network", "rm", net));
        try (OutsideWorld world = new OutsideWorld(16 + new java.util.Random().nextInt(200), engine()).withTlsServer(work)) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("target", world.target());
            fields.put("network", net);
            walk("outside mail server", "connecting to an outside mail server", fields, "masquerade-disabled", true);
        }
    }

    @Test
    void smtpsRenamedOverrideBehindAProxy() throws Exception {
        MailServers.assumeAvailable();
        Path dir = Files.createTempDirectory("triage-it-walk", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x"))); // Postfix's own user reads its config through it
        onCleanup(() -> deleteTree(dir));
        TestPki pki = TestPki.create(dir.resolve("pki"));
        var valid = pki.leaf("valid", "mail.triage.test", "dns:localhost,dns:mail.triage.test,ip:127.0.0.1", "-1d", 30);
        try (MailServers servers = new MailServers(dir.resolve("servers"))) {
            servers.smtpd("plain465", "smtpd_tls_wrappermode=yes").front("unexpected", "plain465", "send-proxy");
            servers.start(valid.keyPem(), valid.chainPem());
            Path masterCf = work.resolve("postfix-master.cf");
            Files.writeString(masterCf, "# docker-mailserver overrides\nsmtps/inet/smtpd_upstream_proxy_protocol=haproxy\n");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("server", servers.address("plain465"));
            fields.put("front", servers.address("unexpected"));
            fields.put("hostname", "localhost");
            fields.put("ca", pki.caPem().toString());
            fields.put("master-cf", masterCf.toString());
            walk("unexpected eof", "Port 465 says", fields, "dms-smtps-renamed", true);
            assertEquals("# docker-mailserver overrides\nsmtps/inet/smtpd_upstream_proxy_protocol=haproxy\n",
                    Files.readString(masterCf), "the walk applies no fix");
        }
    }

    @Test
    void dmsV14OneDirWithTheComposeAndEnvFiles() throws Exception {
        Path compose = work.resolve("compose.yaml");
        String composeText = "services:\n  mailserver:\n    image: mailserver/docker-mailserver:14.0.0\n"
                + "    env_file: mailserver.env\n    environment:\n      - ONE_DIR=0\n";
        Files.writeString(compose, composeText);
        Path envFile = work.resolve("mailserver.env");
        Files.writeString(envFile, "ONE_DIR=0\nPOSTMASTER_ADDRESS=pm@example.test\n");
        Path state = Files.createDirectories(work.resolve("state"));
        String c = created(tagged("mailserver/docker-mailserver:14.0.0"), "--label", "com.docker.compose.project=dmswalk",
                "--label", "com.docker.compose.service=mailserver", "-e", "ONE_DIR=0", "-v", state + ":/var/mail-state");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("container", c);
        fields.put("compose-file", compose.toString());
        fields.put("env-file", envFile.toString());
        walk("integrity check", "After upgrading docker-mailserver", fields, "one-dir-removed", true);
        assertEquals(composeText, Files.readString(compose), "the walk applies no fix");
    }

    @Test
    void mailuOutOfOfficeFromTheEnvFile() throws Exception {
        Path env = work.resolve("mailu.env");
        Files.writeString(env, "# Mailu\nPROXY_PROTOCOL=all\nREAL_IP_FROM=192.0.2.0/24\n");
        Path compose = work.resolve("docker-compose.yml");
        Files.writeString(compose, "services:\n  front:\n    image: ghcr.io/mailu/nginx:2.0\n    env_file: mailu.env\n"
                + "  imap:\n    image: ghcr.io/mailu/dovecot:2.0\n");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("env-file", env.toString());
        fields.put("version", "2.0.31");
        fields.put("compose-file", compose.toString());
        walk("out-of-office", "out-of-office (vacation) replies", fields, "ooo-proxy-bug", true);
    }

    /**
     * The walk: symptom, form, run, verdict, fixes (looked at, none applied), report saved and read
     * back, then a new diagnosis and Esc out; the exit code is the diagnosis's.
     */
    private void walk(String filter, String symptom, Map<String, String> fields, String verdictId, boolean problem)
            throws Exception {
        long start = System.nanoTime();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TERM", "xterm-256color");
        env.put("LANG", "C");
        env.put("NO_COLOR", "1");
        env.put("TRIAGE_STATE_DIR", stateDir.toString());
        tmux = new Tmux(Files.createDirectories(work.resolve("tmux")));
        tmux.start(80, 24, env);
        String s = tmux.waitForText("+-Symptoms");
        check(s, "symptoms");

        tmux.type(filter);
        s = tmux.waitForText("Filter: " + filter);
        assertTrue(s.contains(symptom), "the symptom is listed:\n" + Tmux.framed(s));
        tmux.keys("Enter");
        s = tmux.waitFor("the inputs", t -> t.contains("Inputs ("));
        check(s, "inputs");

        fill(fields);
        s = tmux.screen();
        check(s, "inputs filled");
        assertFalse(s.contains("! "), "the inputs are valid:\n" + Tmux.framed(s));
        tmux.keys("Enter"); // runs the tests from any field
        s = tmux.waitFor("the verdict button", Duration.ofSeconds(60), false, t -> t.contains("<See the verdict>"));
        check(s, "tests");
        String path = block(s, "Path:", l -> l.startsWith("<"));
        assertTrue(path.endsWith("verdict " + verdictId), "the whole Path line, up to its verdict:\n" + Tmux.framed(s));
        assertTrue(hint(s).startsWith(" Enter see the verdict"), "the focus is on the verdict button:\n" + Tmux.framed(s));

        tmux.keys("Enter");
        s = tmux.waitFor("the verdict", t -> t.contains("+-Why"));
        String verdictScreen = s;
        check(s, "verdict");
        String title = block(s, "[", l -> l.startsWith("+-Why"));
        assertTrue(title.startsWith(problem ? "[XX] " : "[OK] ") || title.startsWith("[!!] "), title);
        if (problem) {
            assertTrue(title.endsWith("]"), "the title is whole, with its severity after it: " + title);
        }
        List<String> why = scrollAll("Why");
        assertTrue(String.join(" ", why).contains(problem ? "fix(es) offered" : "."), String.join("\n", why));

        if (problem) {
            assertTrue(hint(tmux.screen()).contains("f fixes"), tmux.screen());
            tmux.keys("f");
            s = tmux.waitFor("the fix screen", t -> t.contains("+-The exact plan"));
            check(s, "fix plan");
            int shownFixes = rowsOf(s, "+-Fixes").size();
            assertTrue(shownFixes >= 1, Tmux.framed(s));
            boolean several = hint(s).contains("Up/Down fix");
            // to the first fix (the screen opens on the first one that can be applied), then down through all
            while (several && changedAfter("Up") != null) {
                check(tmux.screen(), "fix plan");
            }
            List<String> plans = new ArrayList<>();
            String first = rowsOf(tmux.screen(), "+-The exact plan").get(0); // the plan's title, before it scrolls
            plans.add(String.join("\n", scrollAll("The exact plan")));
            while (several && (s = changedAfter("Down")) != null) {
                String now = rowsOf(s, "+-The exact plan").get(0);
                if (now.equals(first)) {
                    break; // the last fix: Down shows its plan from the top again
                }
                first = now;
                check(s, "fix plan " + (plans.size() + 1));
                plans.add(String.join("\n", scrollAll("The exact plan")));
                assertTrue(plans.size() < 15, "Down moves past the last fix");
            }
            assertEquals(plans.size() > 1, several, "Up/Down in the hint exactly where there is another fix to move to:\n"
                    + Tmux.framed(tmux.screen()));
            tmux.keys("Escape");
            tmux.waitFor("the verdict again", t -> t.contains("+-Why"));
            savedReport(verdictId, verdictScreen, plans);
        } else {
            assertFalse(hint(s).contains("f fixes"), s);
            savedReport(verdictId, verdictScreen, List.of());
        }

        tmux.keys("n");
        s = tmux.waitForText("+-Symptoms");
        assertFalse(s.contains("Filter: " + filter), "a new diagnosis starts from the whole list:\n" + Tmux.framed(s));
        tmux.keys("Escape"); // the report was saved: nothing to ask
        assertEquals(problem ? 1 : 0, tmux.waitForExit(Duration.ofSeconds(40)), "the exit code of the diagnosis");
        System.out.println("walk of " + verdictId + ": " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** Types each value into its field (by its name on the form), from the first field. */
    private void fill(Map<String, String> fields) {
        List<String> names = rowsOf(tmux.screen(), "+-Inputs");
        int at = 0;
        for (var e : fields.entrySet()) {
            int index = -1;
            for (int i = 0; i < names.size(); i++) {
                String label = names.get(i).strip().split(" ")[0].replace("*", "");
                if (label.equals(e.getKey())) { // the whole name: a label cut short is not found
                    index = i;
                    break;
                }
            }
            assertTrue(index >= at, "field " + e.getKey() + " after the ones filled, in " + names);
            for (; at < index; at++) {
                tmux.keys("Tab");
            }
            tmux.keys("C-u");
            tmux.type(e.getValue());
            String tail = e.getValue().substring(Math.max(0, e.getValue().length() - 20));
            int row = index;
            tmux.waitFor("'" + tail + "' in the field " + e.getKey(), t -> rowsOf(t, "+-Inputs").get(row).contains(tail));
        }
    }

    /** Presses a key; the screen after it, or null when it did not change within 2 s. */
    private String changedAfter(String key) {
        String before = tmux.screen();
        tmux.keys(key);
        try {
            return tmux.waitFor("the screen to change after " + key, Duration.ofSeconds(2), false, t -> !t.equals(before));
        } catch (AssertionError unchanged) {
            return null;
        }
    }

    /** Scrolls the pane of that title from top to bottom (PgDn); its text lines, and checks each screen on the way. */
    private List<String> scrollAll(String pane) {
        String s = tmux.screen();
        List<String> lines = new ArrayList<>(rowsOf(s, "+-" + pane));
        boolean bar = scrollBar(s, pane);
        assertEquals(bar, hint(s).contains("PgUp/PgDn"), "the hint says how to scroll exactly when the " + pane
                + " pane has more to see:\n" + Tmux.framed(s));
        for (int i = 0; bar && i < 30; i++) {
            s = changedAfter("NPage");
            if (s == null) {
                break; // at the bottom: PgDn changes nothing
            }
            check(s, pane + " scrolled");
            List<String> now = rowsOf(s, "+-" + pane);
            // the rows new on this screen: those after the last row of the previous screen's overlap
            int overlap = 0;
            for (int k = Math.min(now.size(), lines.size()); k > 0; k--) {
                if (lines.subList(lines.size() - k, lines.size()).equals(now.subList(0, k))) {
                    overlap = k;
                    break;
                }
            }
            lines.addAll(now.subList(overlap, now.size()));
        }
        return lines;
    }

    private static boolean scrollBar(String screen, String pane) {
        List<String> all = screen.lines().toList();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).startsWith("+-" + pane)) {
                String next = all.get(i + 1);
                return next.length() == 80 && next.charAt(78) == '^';
            }
        }
        return false;
    }

    /** The text rows of the box whose top border starts with {@code top} (the borders and scroll bar left out). */
    private static List<String> rowsOf(String screen, String top) {
        List<String> all = screen.lines().toList();
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String l : all) {
            if (!in && l.startsWith(top)) {
                in = true;
            } else if (in && l.startsWith("+-")) {
                return rows;
            } else if (in) {
                String inner = l.length() >= 80 ? l.substring(1, 78) : l.length() > 1 ? l.substring(1) : "";
                rows.add(inner.stripTrailing());
            }
        }
        throw new AssertionError("no box '" + top + "' on the screen:\n" + Tmux.framed(screen));
    }

    /** The rows from the one starting with {@code first} up to (not with) the one {@code end} accepts, joined by spaces. */
    private static String block(String screen, String first, java.util.function.Predicate<String> end) {
        List<String> all = screen.lines().toList();
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String l : all) {
            if (!in && l.startsWith(first)) {
                in = true;
            } else if (in && end.test(l)) {
                return sb.toString().strip();
            }
            if (in) {
                sb.append(' ').append(l.strip());
            }
        }
        throw new AssertionError("no block from '" + first + "':\n" + Tmux.framed(screen));
    }

    private static String hint(String screen) {
        List<String> all = screen.lines().toList();
        return all.get(all.size() - 1);
    }

    /**
     * What every screen must be: 24 rows of ASCII at most 80 wide, no raw internal value, no line
     * cut with ~ inside a box, no sideways scroll bar, and a hint line that is whole.
     */
    private static void check(String s, String where) {
        String framed = where + ":\n" + Tmux.framed(s);
        boolean list = false; // the rows of the Tests and Fixes lists are cut to fit; the panes and the title never
        for (String l : s.lines().toList()) {
            if (l.startsWith("+-")) {
                list = l.startsWith("+-Tests") || l.startsWith("+-Fixes");
            }
            assertTrue(l.length() <= 80, "wider than 80: " + framed);
            assertTrue(l.chars().allMatch(c -> c < 128), "only ASCII under LANG=C: " + l + "\n" + framed);
            assertFalse(!list && l.startsWith("|") && l.length() == 80 && l.charAt(77) == '~', "a line cut with ~: " + l + "\n"
                    + framed);
            assertFalse(l.matches("\\|<[#\\s]*>.*"), "a sideways scroll bar: " + framed);
            assertFalse(RAW.matcher(l).find(), "a raw internal value: " + l + "\n" + framed);
            if (!where.startsWith("fix plan") && !where.startsWith("The exact plan")) {
                assertFalse(RAW_BOOLEAN.matcher(l).find(), "true/false where words belong: " + l + "\n" + framed);
            }
        }
        String hint = hint(s);
        assertFalse(hint.endsWith("~"), "the hint line is whole: " + framed);
        assertTrue(hint.startsWith(" "), framed);
    }

    /** r on the verdict: the report into a folder of the test's own; then the files are read back. */
    private void savedReport(String verdictId, String verdictScreen, List<String> plans) throws Exception {
        Path folder = work.resolve("reports");
        tmux.keys("r");
        tmux.waitForText("Folder for the report");
        tmux.repeat("BSpace", 300); // the default folder (the state folder's reports/) out of the way
        tmux.type(folder.toString());
        tmux.keys("Enter");
        String s = tmux.waitForText("Saved: triage-");
        check(s, "saved");
        String said = s.substring(s.indexOf("Saved: "), s.lastIndexOf('\n')); // up to the hint line
        assertTrue(said.replaceAll("\\s+", "").contains(folder.toString()),
                "the folder, whole, in the status line:\n" + Tmux.framed(s));
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.sorted().toList();
        }
        assertEquals(2, files.size(), files.toString());
        Path md = files.stream().filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
        Path jsonFile = files.stream().filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        JsonNode json = JSON.readTree(Files.readString(jsonFile));
        assertEquals(verdictId, json.path("verdict").path("id").asText(), json.toPrettyString());
        assertFalse(json.path("host").asText().isEmpty() || json.path("triageVersion").asText().isEmpty()
                || json.path("time").asText().isEmpty(), json.toPrettyString());
        String report = Files.readString(md);
        String title = json.path("verdict").path("title").asText();
        assertTrue(report.contains(title), "the Markdown has the verdict's title:\n" + report);
        assertFalse(RAW.matcher(report).find(), "no raw internal value in the report:\n" + report);

        // the title the screen showed, whole: every word of it, in order, before the Why pane
        String shown = block(verdictScreen, "[", l -> l.startsWith("+-Why")).replaceAll("\\s+", " ");
        assertTrue(shown.contains(ascii(title).replaceAll("\\s+", " ")), "the whole title on the screen: " + shown + "\nvs " + title);
        // every fix the report lists was on the fix screen, its plan's commands whole
        // every fix the report lists was on the fix screen, with its whole plan
        String allPlans = String.join("\n", plans).replaceAll("\\s+", "");
        for (JsonNode fix : json.path("fixes")) {
            String fixTitle = ascii(fix.path("title").asText()).replaceAll("\\s+", "");
            assertTrue(allPlans.contains(fixTitle), "the plan of '" + fix.path("title").asText() + "' was shown:\n"
                    + String.join("\n----\n", plans));
        }
        assertEquals(json.path("fixes").size(), plans.size(), "one plan per fix of the report");
        for (String line : report.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("$ ")) {
                String cmd = ascii(l.substring(2)).replaceAll("\\s+", "");
                assertTrue(plans.stream().anyMatch(p -> p.replaceAll("\\s+", "").contains(cmd)),
                        "the command '" + l + "' of the report, whole on a plan screen:\n" + String.join("\n----\n", plans));
            }
        }
    }

    /** What the ASCII profile shows for a text. */
    private static String ascii(String text) {
        return text.replace("→", "->").replace("…", "...").replace("–", "-").replace("—", "-")
                .replace("‘", "'").replace("’", "'").replace("“", "\"").replace("”", "\"");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            fail("cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
