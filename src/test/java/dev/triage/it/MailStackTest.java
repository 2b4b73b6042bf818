package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Base for the mail-stack scenarios: the offline probe image re-tagged as the product would see
 * it (mailserver/docker-mailserver:14.0.0, ghcr.io/mailu/nginx:2.0, ...), containers created (not
 * started) with each case's env and mounts, removed after each test, the tags after the class.
 */
abstract class MailStackTest extends DockerTest {
    private static final Set<String> TAGS = ConcurrentHashMap.newKeySet();

    /** The probe image under another name; untagged after the class (the probe image stays). */
    static String tagged(String reference) {
        if (!TAGS.contains(reference)) {
            // never move (and later remove) a tag that names a real image on this engine
            Sh.Result existing = Sh.run("docker", "image", "inspect", "-f", "{{.Id}}", reference);
            String probe = Sh.run("docker", "image", "inspect", "-f", "{{.Id}}", IMAGE).out().strip();
            org.junit.jupiter.api.Assumptions.assumeTrue(existing.exit() != 0 || existing.out().strip().equals(probe),
                    reference + " is a real image on this engine; the test will not re-tag it");
            Sh.run("docker", "tag", IMAGE, reference).orFail("docker tag " + reference);
            TAGS.add(reference);
        }
        return reference;
    }

    @AfterAll
    static void untag() {
        for (String t : TAGS) {
            Sh.run("docker", "rmi", t);
        }
        TAGS.clear();
    }

    /** docker create NAME with the given options and image; removed after the test. */
    String created(String image, String... options) {
        String name = unique("mail");
        List<String> argv = new ArrayList<>(List.of("docker", "create", "--name", name));
        argv.addAll(List.of(options));
        argv.add(image);
        Sh.run(argv).orFail("docker create");
        onCleanup(() -> Sh.run("docker", "rm", "-f", name));
        return name;
    }

    /** Runs the scenario with --json and checks the 5 s the issue allows for every verdict. */
    JsonNode diagnose(String scenario, String... sets) {
        List<String> args = new ArrayList<>(List.of("diagnose", scenario, "--json"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        JsonNode d = json(triage(args.toArray(String[]::new)));
        long millis = d.path("millis").asLong();
        assertTrue(millis < 5000, scenario + " took " + millis + " ms: " + d.path("steps"));
        return d;
    }

    static String verdict(JsonNode d) {
        return d.path("verdict").path("id").asText("(none: " + d.path("inconclusiveReason").asText() + ")");
    }
}
