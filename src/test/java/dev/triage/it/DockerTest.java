package dev.triage.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
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
 * A subclass that overrides {@link #engine()} runs the same tests against another engine (the
 * test bed's Docker 28); it skips when that bed is not up, unless TRIAGE_REQUIRE_DOCKER28=1.
 */
abstract class DockerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String IMAGE = "redis:7.2-alpine";
    private final List<Runnable> cleanups = Collections.synchronizedList(new ArrayList<>());

    @TempDir
    Path stateDir;

    /** Checked once per engine: the answer of the first test is the answer for all. */
    private static final Map<String, String> ENGINE_MISSING = new java.util.concurrent.ConcurrentHashMap<>();

    /** The engine under test; the host's own unless a subclass says otherwise. */
    Engine engine() {
        return Engine.HOST;
    }

    /** The test bed's Docker 28: skips when it is not up, fails when TRIAGE_REQUIRE_DOCKER28=1. */
    static Engine docker28OrSkip() {
        Engine e = Engine.docker28();
        if (e == null) {
            if ("1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER28"))) {
                fail("TRIAGE_REQUIRE_DOCKER28=1 but the Docker 28 test bed is not set up"
                        + " (eval \"$(.ci/docker28.sh env)\" after .ci/docker28.sh start)");
            }
            Assumptions.abort("no Docker 28 test bed (.ci/docker28.sh start, then eval \"$(.ci/docker28.sh env)\")");
        }
        return e;
    }

    @BeforeEach
    void requireDocker() {
        Engine engine = engine();
        String missing = ENGINE_MISSING.computeIfAbsent(engine.name(), n -> {
            Sh.Result info = Sh.run(engine.docker("info", "--format", "{{.ServerVersion}}"), Map.of(), 20);
            if (info.exit() != 0) {
                return "the Docker engine (" + engine + ") does not answer: " + info.err().strip();
            }
            return Sh.run(engine.docker("image", "inspect", IMAGE)).exit() != 0
                    ? "probe image " + IMAGE + " missing on " + engine + ": run .ci/build-probe-image.sh"
                    + (engine.isHost() ? "" : " and .ci/docker28.sh start") : "";
        });
        if (missing.isEmpty()) {
            return;
        }
        boolean required = engine.isHost() ? "1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER"))
                : "1".equals(System.getenv("TRIAGE_REQUIRE_DOCKER28"));
        if (required || missing.startsWith("probe image")) {
            fail(missing);
        }
        Assumptions.abort(missing);
    }

    /** docker, aimed at the engine under test. */
    Sh.Result docker(String... args) {
        return Sh.run(engine().docker(args));
    }

    /** A command where the engine's bridges and firewall live (its network namespace). */
    Sh.Result inNetns(String... argv) {
        return Sh.run(engine().inNetns(argv));
    }

    Sh.Result inNetns(List<String> argv) {
        return Sh.run(engine().inNetns(argv));
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

    void assertNoLeftovers() {
        Engine engine = engine();
        String containers = Sh.run(engine.docker("ps", "-aq", "--filter", "label=dev.triage")).orFail("docker ps").out().strip();
        String networks = Sh.run(engine.docker("network", "ls", "-q", "--filter", "label=dev.triage")).orFail("docker network ls").out().strip();
        assertEquals("", containers, "triage left containers behind on " + engine);
        assertEquals("", networks, "triage left networks behind on " + engine);
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TRIAGE_STATE_DIR", stateDir.toString());
        engine().addTo(env);
        return env;
    }

    /** triage, run where the engine's network lives, against that engine. */
    Sh.Result triage(Map<String, String> env, String... args) {
        return Sh.run(engine().inNetns(Sh.triage(args)), env, 120);
    }

    Process startTriage(String... args) {
        return Sh.start(engine().inNetns(Sh.triage(args)), env());
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
        (internal ? docker("network", "create", "--internal", name) : docker("network", "create", name)).orFail("network create");
        onCleanup(() -> docker("network", "rm", name));
        return name;
    }

    String container(String network, String... cmd) {
        String name = unique("ctr");
        List<String> argv = new ArrayList<>(engine().docker("run", "-d", "--name", name, "--network", network));
        if (cmd.length > 0 && cmd[0].equals("sleep")) {
            argv.addAll(List.of("--entrypoint", "sleep", IMAGE));
            argv.addAll(List.of(cmd).subList(1, cmd.length));
        } else {
            argv.add(IMAGE);
            argv.addAll(List.of(cmd));
        }
        Sh.run(argv).orFail("docker run");
        onCleanup(() -> docker("rm", "-f", name));
        return name;
    }

    String bridgeOf(String network) {
        String id = docker("network", "inspect", "-f", "{{.Id}}", network).orFail("inspect").out().strip();
        return "br-" + id.substring(0, 12);
    }

    String iptablesS() {
        return inNetns("iptables", "-S").orFail("iptables -S").out();
    }

    /** Inserts a rule in DOCKER-USER for the test and removes every copy of it afterwards. */
    void faultRule(String... rule) {
        List<String> insert = new ArrayList<>(List.of("iptables", "-I", "DOCKER-USER"));
        insert.addAll(List.of(rule));
        inNetns(insert).orFail("iptables -I");
        onCleanup(() -> {
            List<String> delete = new ArrayList<>(List.of("iptables", "-D", "DOCKER-USER"));
            delete.addAll(List.of(rule));
            for (int i = 0; i < 5 && inNetns(delete).exit() == 0; i++) {
                // remove every copy
            }
        });
    }

    void sysctl(String path, String value) {
        String old = inNetns("cat", path).orFail("read " + path).out().strip();
        inNetns("sh", "-c", "echo " + value + " > " + path).orFail("write " + path);
        onCleanup(() -> inNetns("sh", "-c", "echo " + old + " > " + path));
    }
}
