package dev.triage.scenario;

import dev.triage.app.Catalog;
import dev.triage.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Issue 15 (17): scenario files written to hurt. */
class HostileScenarioTest {
    private static final KindCatalog CATALOG = new Catalog(ProbeRegistry.standard());

    @TempDir
    Path dir;

    /** One scalar of 6 KB used 140,000 times: under 1 MiB on disk, 840 MB once expanded. */
    @Test
    void aliasExpansionIsBounded() {
        StringBuilder yaml = new StringBuilder("id: laughs\ntitle: &t \"").append("x".repeat(6000)).append("\"\nreferences: [");
        for (int i = 0; i < 140_000; i++) {
            yaml.append(i == 0 ? "" : ",").append("*t");
        }
        yaml.append("]\n");
        List<Problem> problems = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ScenarioRepository.check(CATALOG, "laughs.yaml", yaml.toString()));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).message().contains("aliases"), problems.toString());
    }

    @Test
    void catastrophicBacktrackingInAnInputPatternDoesNotHang() {
        InputSpec spec = new InputSpec("host", "Host", null, "", false, Pattern.compile("(.*a){20}"), null, List.of());
        String evil = "a".repeat(60) + "!";
        String problem = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> spec.check(evil));
        assertNotNull(problem);
        assertTrue(problem.contains("takes too long"), problem);
        InputSpec sane = new InputSpec("host", "Host", null, "", false,
                Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?"), null, List.of());
        assertNull(sane.check("mail." + "a".repeat(240) + ".example"), "an ordinary pattern on a long value is fine");
        assertTrue(sane.check("-bad").contains("is not valid"));
    }

    @Test
    void aScenarioWithABuiltInsIdIsRefusedNotSwappedIn() throws Exception {
        String text = new String(getClass().getClassLoader().getResourceAsStream("scenarios/bridge-egress.yaml").readAllBytes())
                .replaceFirst("(?m)^title: .*$", "title: An impostor");
        Files.writeString(dir.resolve("evil.yaml"), text);
        ScenarioRepository repo = ScenarioRepository.load(CATALOG, List.of(dir));
        assertNotEquals("An impostor", repo.get("bridge-egress").title(), "the built-in stays");
        String why = repo.collision("bridge-egress").orElseThrow();
        assertTrue(why.contains("the built-in") && why.contains("evil.yaml") && why.contains("refused"), why);
        assertTrue(repo.problems().stream().anyMatch(p -> p.message().equals(why)));
        assertTrue(repo.collision("bridge-intercontainer").isEmpty());
    }

    @Test
    void theContentOfAFileThatIsNotAScenarioIsNeverRepeated() throws Exception {
        String shadow = "root:$y$j9T$SECRETHASH$abc:19000:0:99999:7:::\n"
                + "admin: $6$ANOTHERSECRET\n"
                + "daemon:*:19000:0:99999:7:::\n";
        Path fake = dir.resolve("shadow");
        Files.writeString(fake, shadow);
        Files.createSymbolicLink(dir.resolve("passwords.yaml"), fake);
        ScenarioRepository repo = ScenarioRepository.load(CATALOG, List.of(dir));
        String all = repo.problems().toString();
        assertFalse(repo.problems().isEmpty());
        assertFalse(all.contains("SECRET") || all.contains("admin") || all.contains("daemon") || all.contains("root:"), all);
        assertTrue(all.contains("not a scenario file"), all);
    }

    @Test
    void anUnknownKeyThatIsNotAWordIsNotRepeated() {
        List<Problem> problems = ScenarioRepository.check(CATALOG, "t.yaml",
                "id: x\ntitle: t\n\"p4ssw0rd hunter2\": 1\n");
        assertFalse(problems.toString().contains("hunter2"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.message().startsWith("unknown key")), problems.toString());
    }
}
