package dev.triage.scenario;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 15: bridge-egress refused target=[::1]:465 while smtps-proxy-protocol accepted [::1]:25. Every
 * HOST:PORT input of every bundled scenario uses the one grammar (type: host-port), IPv6 in brackets.
 */
class HostPortInputsTest {
    private static final List<String> HOST_PORT_INPUTS = List.of("bridge-egress:target", "bridge-intercontainer:target",
            "smtps-proxy-protocol:server", "smtps-proxy-protocol:front", "smtps-proxy-protocol:starttls");

    private static Scenario scenario(Path file) throws Exception {
        return ScenarioParser.parse(file.toString(), Files.readString(file)).scenario();
    }

    @Test
    void everyHostPortInputTakesTheSameValues() throws Exception {
        List<String> seen = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            for (Path f : files.sorted().toList()) {
                Scenario s = scenario(f);
                for (InputSpec in : s.inputs()) {
                    if (!InputSpec.HOST_PORT.equals(in.type())) {
                        continue;
                    }
                    seen.add(s.id() + ":" + in.name());
                    for (String ok : List.of("[::1]:465", "[2001:db8::5]:25", "mail.example.org:587", "198.18.0.2:465")) {
                        assertNull(in.check(ok), s.id() + " " + in.name() + " " + ok);
                    }
                    for (String bad : List.of("::1:465", "[::1]", "mail.example.org", "mail:0", "[nope]:25", "x:65536")) {
                        String problem = in.check(bad);
                        assertNotNull(problem, s.id() + " " + in.name() + " " + bad);
                        assertTrue(problem.contains("HOST:PORT"), problem);
                    }
                }
            }
        }
        assertEquals(HOST_PORT_INPUTS, seen);
    }

    @Test
    void noScenarioRepeatsThePortGrammar() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            for (Path f : files.toList()) {
                assertFalse(Files.readString(f).contains("6553[0-5]"), f + " spells the HOST:PORT grammar out again");
            }
        }
    }

    @Test
    void anUnknownTypeIsAProblem() {
        String yaml = """
                id: t
                title: T
                symptom: S
                incident:
                  id: "1"
                inputs:
                  - name: a
                    prompt: A
                    type: hostport
                start: v
                verdicts:
                  - id: v
                    title: V
                    healthy: true
                    explanation: E
                """;
        var parsed = ScenarioParser.parse("t.yaml", yaml);
        assertTrue(parsed.problems().stream().anyMatch(p -> String.valueOf(p).contains("unknown input type 'hostport'")),
                parsed.problems()::toString);
    }
}
