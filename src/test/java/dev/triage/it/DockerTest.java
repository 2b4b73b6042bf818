package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Base for tests against the real Docker engine. They skip when no engine answers, unless
 * TRIAGE_REQUIRE_DOCKER=1 (set by .ci/run), where a missing engine is a failure. Every test
 * checks afterwards that triage left no container or network behind, and undoes its own faults.
 */
abstract class DockerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String IMAGE = "redis:7.2-alpine";
    private final List<Runnable> cleanups = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path stateDir;

    @BeforeAll
    static void requireDocker() {
        Sh.Result info = Sh.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), Map.of(), 20);
        boolean required = "1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER"));
        if (info.exit() != 0) {
            if (required) {
                fail("TRIAGE_REQUIRE_DOCKER=1 but the Docker engine does not answer: " + info.err());
            }
            Assumptions.abort("no Docker engine: " + info.err().strip());
        }
        if (Sh.run("docker", "image", "inspect", IMAGE).exit() != 0) {
            fail("probe image " + IMAGE + " missing: run .ci/build-probe-image.sh");
        }
    }

    /** Registers an undo for something the test changed; run in reverse order after the test. */
    void onCleanup(Runnable r) {
        cleanups.add(r);
    }

    @AfterEach
    void cleanUpAndCheckNothingLeft() {
        List<Runnable> reversed = new ArrayList<>(cleanups);
        Collections.reverse(reversed);
        for (Runnable r : reversed) {
            try {
                r.run();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
        cleanups.clear();
        assertNoLeftovers();
    }

    static void assertNoLeftovers() {
        String containers = Sh.run("docker", "ps", "-aq", "--filter", "label=dev.triage").orFail("docker ps").out().strip();
        String networks = Sh.run("docker", "network", "ls", "-q", "--filter", "label=dev.triage").orFail("docker network ls").out().strip();
        assertEquals("", containers, "triage left containers behind");
        assertEquals("", networks, "triage left networks behind");
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TRIAGE_STATE_DIR", stateDir.toString());
        return env;
    }

    Sh.Result triage(Map<String, String> env, String... args) {
        return Sh.run(Sh.triage(args), env, 120);
    }

    Sh.Result triage(String... args) {
        return triage(env(), args);
    }

    static JsonNode json(Sh.Result r) {
        try {
            return JSON.readTree(r.out());
        } catch (Exception e) {
            throw new AssertionError("stdout is not one JSON document: " + e.getMessage() + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        }
    }

    static JsonNode step(JsonNode doc, String test) {
        for (JsonNode s : doc.path("steps")) {
            if (s.path("test").asText().equals(test)) {
                return s;
            }
        }
        throw new AssertionError("no step '" + test + "' in " + doc.path("steps"));
    }

    static String unique(String role) {
        return "triage-it-" + UUID.randomUUID().toString().substring(0, 8) + "-" + role;
    }

    /** A network of the test's own (the admin's network in the scenario); removed after the test. */
    String network() {
        return network(false);
    }

    /**
     * An internal network: Docker's embedded DNS then never forwards unknown names to the host's
     * upstream resolver, so a test about a name that does not exist stays on this machine.
     */
    String network(boolean internal) {
        String name = unique("net");
        Sh.run(internal ? List.of("docker", "network", "create", "--internal", name)
                : List.of("docker", "network", "create", name)).orFail("network create");
        onCleanup(() -> Sh.run("docker", "network", "rm", name));
        return name;
    }

    String container(String network, String... cmd) {
        String name = unique("ctr");
        List<String> argv = new ArrayList<>(List.of("docker", "run", "-d", "--name", name, "--network", network));
        if (cmd.length > 0 && cmd[0].equals("sleep")) {
            argv.addAll(List.of("--entrypoint", "sleep", IMAGE));
            argv.addAll(List.of(cmd).subList(1, cmd.length));
        } else {
            argv.add(IMAGE);
            argv.addAll(List.of(cmd));
        }
        Sh.run(argv).orFail("docker run");
        onCleanup(() -> Sh.run("docker", "rm", "-f", name));
        return name;
    }

    static String bridgeOf(String network) {
        String id = Sh.run("docker", "network", "inspect", "-f", "{{.Id}}", network).orFail("inspect").out().strip();
        return "br-" + id.substring(0, 12);
    }

    static String iptablesS() {
        return Sh.run("iptables", "-S").orFail("iptables -S").out();
    }

    /** Inserts a rule in DOCKER-USER for the test and removes every copy of it afterwards. */
    void faultRule(String... rule) {
        List<String> insert = new ArrayList<>(List.of("iptables", "-I", "DOCKER-USER"));
        insert.addAll(List.of(rule));
        Sh.run(insert).orFail("iptables -I");
        onCleanup(() -> {
            List<String> delete = new ArrayList<>(List.of("iptables", "-D", "DOCKER-USER"));
            delete.addAll(List.of(rule));
            for (int i = 0; i < 5 && Sh.run(delete).exit() == 0; i++) {
                // remove every copy
            }
        });
    }

    void sysctl(String path, String value) {
        String old = Sh.run("cat", path).orFail("read " + path).out().strip();
        Sh.run("sh", "-c", "echo " + value + " > " + path).orFail("write " + path);
        onCleanup(() -> Sh.run("sh", "-c", "echo " + old + " > " + path));
    }
}
