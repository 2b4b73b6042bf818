package dev.triage.it;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Nothing triage creates outlives it: signals mid-run, and leftovers of a killed run swept later. */
class CleanupIT extends DockerTest {

    /** A run stuck in the write-up's hang (a DROP rule) is interrupted while its containers exist. */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "HUP", "TERM"})
    void signalMidRunLeavesNothing(String signal) throws Exception {
        assumeFalse(ignoredByThisProcess(signal),
                "SIG" + signal + " is ignored by this test's JVM (started under nohup or as a background job"
                        + " without job control?), so triage, its child, inherits that and never sees it;"
                        + " run the tests from a shell that does not ignore it");
        faultRule("-i", "br-+", "-o", "br-+", "-j", "DROP");
        Process p = startTriage("diagnose", "bridge-intercontainer", "--json");
        long deadline = System.currentTimeMillis() + 15_000;
        while (docker("ps", "-q", "--filter", "label=dev.triage").out().isBlank()) {
            if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                fail("the probe containers never appeared");
            }
            Thread.sleep(50);
        }
        Sh.run("kill", "-s", signal, String.valueOf(p.pid())).orFail("kill");
        Sh.Result r = Sh.waitFor(p, 30);
        assertTrue(r.exit() != 0, "a signalled run does not report success");
        assertTrue(r.err().contains("removing"), "it says it is cleaning up: " + r.err());
        assertNoLeftovers();
    }

    /**
     * A signal this JVM ignores is ignored by the processes it starts too (POSIX keeps SIG_IGN across
     * exec, and the JVM then leaves it ignored): /proc/self/status lists them as a mask, bit N-1 for N.
     */
    static boolean ignoredByThisProcess(String signal) throws IOException {
        int number = switch (signal) {
            case "HUP" -> 1;
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException(signal);
        };
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16) & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    /**
     * SIGTERM at many moments of a healthy run, including while a network or container is being
     * created: cleanup must wait for a creation in flight rather than miss it.
     */
    @Test
    void sigtermAtAnyMomentLeavesNothing() throws Exception {
        for (int delay = 250; delay <= 1450; delay += 150) {
            Process p = startTriage("diagnose", "bridge-intercontainer", "--json");
            Thread.sleep(delay);
            Sh.run("kill", "-s", "TERM", String.valueOf(p.pid()));
            Sh.waitFor(p, 30);
            assertNoLeftovers();
        }
    }

    @Test
    void leftoversOfAKilledRunAreSweptButALiveRunsAreKept() {
        String host = Sh.run("cat", "/proc/sys/kernel/hostname").orFail("hostname").out().strip();
        Process dead = Sh.start(List.of("true"), env());
        Sh.waitFor(dead, 10);
        String deadOwner = host + "/" + dead.pid() + "/" + dead.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        ProcessHandle self = ProcessHandle.current();
        String liveOwner = host + "/" + self.pid() + "/" + self.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);

        String deadNet = labelled("net", "deadrun1", deadOwner, true);
        String deadCtr = labelled("ctr", "deadrun1", deadOwner, false);
        String liveNet = labelled("net", "liverun1", liveOwner, true);
        onCleanup(() -> docker("network", "rm", liveNet));

        Sh.Result r = triage("diagnose", "bridge-intercontainer", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(json(r).path("sweptLeftovers").toString().contains(deadNet), r.out());
        assertEquals("", docker("ps", "-aq", "--filter", "name=" + deadCtr).out().strip());
        assertEquals("", docker("network", "ls", "-q", "--filter", "name=" + deadNet).out().strip());
        assertEquals(1, docker("network", "ls", "-q", "--filter", "name=" + liveNet).out().strip().lines().count(),
                "a run that is still alive keeps its network");
    }

    /**
     * Issue 15: a read-only diagnose force-removed anything with the dev.triage label key and a
     * missing or malformed owner, with its anonymous volumes. Such objects are not triage's: kept.
     */
    @Test
    void theSweepKeepsObjectsWithAMissingOrMalformedOwnerAndTheirVolumes() throws Exception {
        String host = Sh.run("cat", "/proc/sys/kernel/hostname").orFail("hostname").out().strip();
        Process dead = Sh.start(List.of("true"), env());
        Sh.waitFor(dead, 10);
        String deadOwner = host + "/" + dead.pid() + "/" + dead.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        String tag = Long.toHexString(System.nanoTime());
        List<String> kept = new java.util.ArrayList<>();
        List<List<String>> foreign = List.of(
                List.of("--label", "dev.triage=1", "--label", "dev.triage.run=a" + tag),               // no owner
                List.of("--label", "dev.triage=1", "--label", "dev.triage.run=b" + tag, "--label", "dev.triage.owner=garbage"),
                List.of("--label", "dev.triage=1", "--label", "dev.triage.run=c" + tag, "--label", "dev.triage.owner=" + host + "/x/1"),
                List.of("--label", "dev.triage", "--label", "dev.triage.run=d" + tag, "--label", "dev.triage.owner=" + deadOwner));
        char run = 'a';
        for (List<String> labels : foreign) {
            String name = "triage-" + run++ + tag + "-keep";
            List<String> ctr = new java.util.ArrayList<>(engine().docker("create", "--name", name, "-v", "/data"));
            ctr.addAll(labels);
            ctr.add(IMAGE); // -v /data: an anonymous volume, which force-removal with volumes would take
            Sh.run(ctr).orFail("create " + name);
            onCleanup(() -> Sh.run(engine().docker("rm", "-f", "-v", name)));
            List<String> net = new java.util.ArrayList<>(engine().docker("network", "create"));
            net.addAll(labels);
            net.add(name);
            Sh.run(net).orFail("network " + name);
            onCleanup(() -> Sh.run(engine().docker("network", "rm", name)));
            kept.add(name);
        }
        // a well-formed dead owner, but a name triage never gives: someone else's as well
        String userDb = "mailu-db-" + tag;
        Sh.run(engine().docker("create", "--name", userDb, "-v", "/data", "--label", "dev.triage=1", "--label", "dev.triage.run=e" + tag,
                "--label", "dev.triage.owner=" + deadOwner, IMAGE)).orFail("create " + userDb);
        onCleanup(() -> Sh.run(engine().docker("rm", "-f", "-v", userDb)));
        kept.add(userDb);
        java.util.Map<String, String> volumes = new java.util.HashMap<>();
        for (String name : kept) {
            volumes.put(name, Sh.run(engine().docker("container", "inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", name))
                    .orFail("inspect").out().strip());
        }
        String leftover = labelled("ctr", "f" + tag, deadOwner, false); // a real leftover: swept

        Sh.Result r = triage("diagnose", "bridge-intercontainer", "--json");
        assertEquals(0, r.exit(), r.err());

        assertEquals("", Sh.run(engine().docker("ps", "-aq", "--filter", "name=" + leftover)).out().strip(), "a dead run's leftover goes");
        for (String name : kept) {
            assertEquals(0, Sh.run(engine().docker("container", "inspect", name)).exit(), "container " + name + " is kept");
            if (!name.equals(userDb)) {
                assertEquals(0, Sh.run(engine().docker("network", "inspect", name)).exit(), "network " + name + " is kept");
            }
            assertTrue(!volumes.get(name).isEmpty(), name + " has an anonymous volume");
            assertEquals(0, Sh.run(engine().docker("volume", "inspect", volumes.get(name))).exit(), "its volume is kept");
        }
        assertTrue(!json(r).path("sweptLeftovers").toString().contains(tag + "-keep"), r.out());
    }

    private String labelled(String kind, String run, String owner, boolean network) {
        String name = "triage-" + run + "-" + kind + "-" + Long.toHexString(System.nanoTime());
        List<String> labels = List.of("--label", "dev.triage=1", "--label", "dev.triage.run=" + run,
                "--label", "dev.triage.owner=" + owner);
        List<String> argv = new java.util.ArrayList<>(network ? engine().docker("network", "create") : engine().docker("create"));
        argv.addAll(labels);
        argv.addAll(network ? List.of(name) : List.of("--name", name, IMAGE));
        Sh.run(argv).orFail("create " + name);
        onCleanup(() -> Sh.run(network ? engine().docker("network", "rm", name) : engine().docker("rm", "-f", name)));
        return name;
    }
}
