package dev.triage;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's promises that a new user pastes: its two commands, and that CI runs the same test command. */
class ReadmeTest {

    @Test
    void theTwoCommandsAreThereAndCiRunsTheTestCommand() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.startsWith("# triage\n") && readme.length() < 200_000,
                "README.md is a readable document (" + readme.length() + " characters)");
        assertTrue(readme.contains("\n    mvn -B -q -DskipTests package && java -jar target/triage.jar"), "the wizard command");
        assertTrue(readme.contains("\n    mvn -B -ntp verify\n"), "the test command");
        // the main build is the README's command; after it, .ci/run runs the firewalld bed's one test class
        assertTrue(Files.readAllLines(Path.of(".ci/run")).stream().anyMatch(l -> l.startsWith("mvn -B -ntp verify ")
                || l.equals("mvn -B -ntp verify")), ".ci/run runs the README's test command");
    }

    @Test
    void everyBundledScenarioHasASectionInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        try (var files = Files.list(Path.of("scenarios"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String id = f.getFileName().toString().replace(".yaml", "");
                assertTrue(readme.contains("### `" + id + "`"), "README section for " + id);
            }
        }
    }
}
