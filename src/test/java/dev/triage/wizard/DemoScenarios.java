package dev.triage.wizard;

import dev.triage.app.Triage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Scenarios for the wizard's tests that need no Docker: an env file (a verdict with a fix to apply
 * and undo, a test on the branch not taken) and a loopback port that accepts and never answers (a
 * test that runs until it is stopped). The engine points at a socket that does not exist.
 */
public final class DemoScenarios {
    private DemoScenarios() { }

    public static final String DEMO = """
            id: demo-env
            title: A demo setting is on
            symptom: The demo flag is set in the env file
            incident:
              id: "900"
              summary: A made-up incident for the screen tests.
            references:
              - "the demo write-up"
            inputs:
              - name: file
                prompt: The env file
                required: true
                pattern: '/[^\\x00]{1,4095}'
                pattern-hint: an absolute path
                help: The env file of the demo stack.
            start: flag
            words:
              flag.outcome: {set: "set", unset: "not set", no-source: "not read", unreadable: "not readable"}
            tests:
              - id: flag
                title: DEMO in the env file
                probe: env-value
                timeout: 2s
                explain: Reads the env file and looks for DEMO.
                manual:
                  - grep ^DEMO= FILE
                params:
                  file: ${input.file}
                  key: DEMO
                next:
                  set: demo-on
                  "*": unused
              - id: unused
                title: A test on the other branch
                probe: env-value
                timeout: 2s
                params:
                  file: ${input.file}
                  key: OTHER
                next:
                  "*": healthy
            verdicts:
              - id: healthy
                title: DEMO is off
                healthy: true
                explanation: DEMO is ${flag.outcome}.
              - id: demo-on
                title: DEMO is on
                severity: critical
                explanation: DEMO=${flag.value} in ${flag.source}.
                evidence: [flag]
                fixes: [drop-demo]
            fixes:
              - id: drop-demo
                title: Remove DEMO from the env file
                actions:
                  - kind: env-file-unset
                    file: ${input.file}
                    keys: [DEMO]
                verify:
                  test: flag
                  expect: [unset]
            """;

    public static final String HANG = """
            id: hang
            title: A port that never answers
            symptom: The hanging port test for the screen tests
            incident:
              id: "901"
            inputs:
              - name: target
                prompt: HOST:PORT
                required: true
            start: connect
            tests:
              - id: connect
                title: TLS to the port
                probe: tcp-connect
                timeout: 30s
                params:
                  target: ${input.target}
                  tls: "yes"
                  connect-timeout: 30s
                next:
                  "*": done
            verdicts:
              - id: done
                title: Done
                healthy: true
                explanation: Finished.
            """;

    /** A Triage that loads both from {@code dir}/scenarios, with its state in {@code dir}/state. */
    public static Triage triage(Path dir) throws IOException {
        Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
        Files.writeString(scenarios.resolve("demo-env.yaml"), DEMO);
        Files.writeString(scenarios.resolve("hang.yaml"), HANG);
        return new Triage(Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"),
                "TRIAGE_STATE_DIR", dir.resolve("state").toString()), List.of(scenarios));
    }
}
