package dev.triage.app;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * issue 15: with DOCKER_HOST at a listener that accepts and never answers, mailu-proxy-ooo said
 * no-mailu-container. Every bundled scenario that reads the engine says docker-unreachable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SilentEngineTest {
    @TempDir
    Path dir;

    @Test
    void everyScenarioThatNeedsTheEngineSaysItIsUnreachable() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[]{127, 0, 0, 1}))) {
            Thread accept = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        Socket s = silent.accept();
                        synchronized (held) {
                            held.add(s); // accepted, never answered
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            Triage triage = new Triage(Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + silent.getLocalPort(),
                    "TRIAGE_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString()), List.of());
            // a cold JVM loads the Docker client on the first connection: on a loaded machine that alone can
            // take an engine test past its 5 s limit (inconclusive), which is not what this test is about
            try (Triage.Run warm = triage.openRun(m -> { })) {
                try {
                    warm.docker().connection();
                } catch (dev.triage.docker.EngineUnreachableException expected) {
                    // the silent engine: as intended
                }
            }
            int checked = 0;
            for (Scenario s : triage.scenarios().scenarios().values()) {
                boolean needsEngine = s.tests().values().stream().anyMatch(t -> t.probe().equals("docker-engine"));
                if (!needsEngine) {
                    continue;
                }
                Map<String, String> given = new HashMap<>();
                s.inputs().stream().filter(i -> i.required()).forEach(i -> given.put(i.name(),
                        i.name().equals("target") ? "198.18.0.2:465" : "x"));
                // a container named, and none: both need the engine
                for (String container : s.inputs().stream().anyMatch(i -> i.name().equals("container"))
                        ? List.of("", "mailserver") : List.of("")) {
                    Map<String, String> inputs = new HashMap<>(given);
                    if (!container.isEmpty()) {
                        inputs.put("container", container);
                    }
                    try (Triage.Run run = triage.openRun(m -> { })) {
                        Diagnosis d = run.diagnose(s, Triage.withDefaults(s, inputs), Duration.ofSeconds(40), RunListener.NONE);
                        assertNotNull(d.verdict(), s.id() + " " + inputs + ": " + d.inconclusiveReason());
                        assertEquals("docker-unreachable", d.verdict().id(), s.id() + " " + inputs + ": " + d.explanation());
                        assertFalse(d.explanation().contains("(unknown)"), d.explanation());
                        checked++;
                    }
                }
            }
            assertEquals(6, checked, "bridge-egress, bridge-intercontainer, dms-v14-state and mailu-proxy-ooo (the last two with and without container=)");
        } finally {
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
