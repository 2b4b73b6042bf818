package dev.triage.docker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RunIdentityTest {

    @Test
    void nameIsTriageRunIdRole() {
        assertEquals("triage-0a1b2c3d-srv", new RunIdentity("0a1b2c3d", "box", 42, 1000).name("srv"));
    }

    @Test
    void currentIdentityHasAnEightHexRunIdAndThisPid() {
        RunIdentity me = RunIdentity.current();
        assertTrue(me.name("cli").matches("triage-[0-9a-f]{8}-cli"), me.name("cli"));
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertEquals(me.host() + "/" + me.pid() + "/" + me.startedMillis(), me.owner());
    }

    @Test
    void ownerIsAliveWhileThisProcessRuns() {
        RunIdentity me = RunIdentity.current();
        assertEquals(RunIdentity.Liveness.ALIVE, RunIdentity.liveness(me.owner(), me.host()));
    }

    @Test
    void ownerIsDeadOnceItsProcessExited() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long started = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
        assertEquals(0, p.waitFor());
        String host = RunIdentity.current().host();
        assertEquals(RunIdentity.Liveness.DEAD, RunIdentity.liveness(host + "/" + p.pid() + "/" + started, host));
    }

    @Test
    void livePidWithAnotherStartTimeIsAReusedPidSoDead() {
        RunIdentity me = RunIdentity.current();
        String owner = me.host() + "/" + me.pid() + "/" + (me.startedMillis() - 3_600_000);
        assertEquals(RunIdentity.Liveness.DEAD, RunIdentity.liveness(owner, me.host()));
    }

    @Test
    void ownerOnAnotherHostIsOtherHost() {
        RunIdentity me = RunIdentity.current();
        assertEquals(RunIdentity.Liveness.OTHER_HOST,
                RunIdentity.liveness("elsewhere/" + me.pid() + "/" + me.startedMillis(), "here"));
    }

    /** Issue 15: a missing or malformed owner was "dead", so a read-only diagnose force-removed it. */
    @Test
    void garbageOwnerIsMalformedNotDead() {
        assertEquals(RunIdentity.Liveness.MALFORMED, RunIdentity.liveness("garbage", "here"));
        assertEquals(RunIdentity.Liveness.MALFORMED, RunIdentity.liveness("here/notapid/123", "here"));
        assertEquals(RunIdentity.Liveness.MALFORMED, RunIdentity.liveness("here/1/2/3", "here"));
        assertEquals(RunIdentity.Liveness.MALFORMED, RunIdentity.liveness("here/1/", "here"));
        assertEquals(RunIdentity.Liveness.MALFORMED, RunIdentity.liveness("", "here"));
        assertEquals(RunIdentity.Liveness.MALFORMED, RunIdentity.liveness(null, "here"));
    }

    @Test
    void onlyAWellFormedDeadOwnerWithTriagesNameIsALeftover() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long started = p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis());
        p.waitFor();
        String host = RunIdentity.current().host();
        String dead = host + "/" + p.pid() + "/" + started;
        java.util.Map<String, String> labels = java.util.Map.of("dev.triage", "1", "dev.triage.run", "0a1b2c3d", "dev.triage.owner", dead);
        assertTrue(RunIdentity.leftoverOfDeadRun(labels, "/triage-0a1b2c3d-srv", host));
        assertTrue(RunIdentity.leftoverOfDeadRun(labels, "triage-0a1b2c3d-net", host));
        assertFalse(RunIdentity.leftoverOfDeadRun(labels, "/mailu-db", host), "not a name triage gives");
        assertFalse(RunIdentity.leftoverOfDeadRun(labels, "/triage-ffffffff-srv", host), "another run's name");
        assertFalse(RunIdentity.leftoverOfDeadRun(java.util.Map.of("dev.triage", "1", "dev.triage.run", "0a1b2c3d"),
                "/triage-0a1b2c3d-srv", host), "no owner");
        assertFalse(RunIdentity.leftoverOfDeadRun(java.util.Map.of("dev.triage", "1", "dev.triage.run", "0a1b2c3d",
                "dev.triage.owner", "x"), "/triage-0a1b2c3d-srv", host), "malformed owner");
        assertFalse(RunIdentity.leftoverOfDeadRun(java.util.Map.of("dev.triage", "", "dev.triage.run", "0a1b2c3d",
                "dev.triage.owner", dead), "/triage-0a1b2c3d-srv", host), "only the label key");
        assertFalse(RunIdentity.leftoverOfDeadRun(labels, "/triage-0a1b2c3d-srv", "another-host"), "another host's");
        assertFalse(RunIdentity.leftoverOfDeadRun(null, "/triage-0a1b2c3d-srv", host));
    }
}
