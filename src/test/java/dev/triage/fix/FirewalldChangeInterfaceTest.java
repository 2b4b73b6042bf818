package dev.triage.fix;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triage.engine.StepResult;
import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;
import dev.triage.scenario.FixSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewalld zone fix against a scripted firewall-cmd: a small model of firewalld's runtime and
 * permanent interface bindings that answers the commands the action runs with the words and exit
 * codes of firewalld 2.x (checked in the Docker 28 bed: "no zone" with exit 2, "success",
 * ZONE_CONFLICT with exit 18, "not running" with exit 252).
 */
class FirewalldChangeInterfaceTest {
    private static final String BR = "br-54c45219a3b7";

    /** firewall-cmd as firewalld answers it; every other command fails. */
    static final class ScriptedFirewallCmd extends HostSystem {
        final Map<String, String> runtime = new HashMap<>();
        final Map<String, String> permanent = new HashMap<>();
        final List<String> zones = new ArrayList<>(List.of("block", "docker", "drop", "public", "trusted"));
        final List<List<String>> changes = new ArrayList<>();
        boolean running = true;

        ScriptedFirewallCmd(Path root) {
            super(root);
        }

        @Override
        public Optional<String> which(String program) {
            return program.equals("firewall-cmd") ? Optional.of("/usr/bin/firewall-cmd") : Optional.empty();
        }

        @Override
        public CommandResult run(Duration timeout, List<String> argv) {
            if (!argv.get(0).equals("firewall-cmd")) {
                return new CommandResult(argv, 127, "", "not scripted", false, 1);
            }
            if (!running) {
                return new CommandResult(argv, 252, "", "FirewallD is not running\n", false, 1);
            }
            boolean perm = argv.contains("--permanent");
            Map<String, String> bindings = perm ? permanent : runtime;
            String zone = null;
            for (String a : argv) {
                if (a.startsWith("--zone=")) {
                    zone = a.substring(7);
                }
            }
            for (String a : argv) {
                if (a.equals("--get-zones")) {
                    return ok(argv, String.join(" ", zones));
                }
                if (a.startsWith("--get-zone-of-interface=")) {
                    String z = bindings.get(a.substring(a.indexOf('=') + 1));
                    return z == null ? new CommandResult(argv, 2, "no zone\n", "", false, 1) : ok(argv, z);
                }
                if (a.startsWith("--change-interface=")) {
                    if (!zones.contains(zone)) {
                        return new CommandResult(argv, 112, "", "Error: INVALID_ZONE: " + zone + "\n", false, 1);
                    }
                    changes.add(List.copyOf(argv));
                    bindings.put(a.substring(a.indexOf('=') + 1), zone);
                    return ok(argv, "success");
                }
                if (a.startsWith("--remove-interface=")) {
                    String iface = a.substring(a.indexOf('=') + 1);
                    String now = bindings.get(iface);
                    if (now != null && !now.equals(zone)) {
                        return new CommandResult(argv, 18, "", "Error: ZONE_CONFLICT: remove_interface(" + zone + ", " + iface
                                + "): zoi='" + now + "'\n", false, 1);
                    }
                    changes.add(List.copyOf(argv));
                    bindings.remove(iface);
                    return ok(argv, "success");
                }
            }
            return new CommandResult(argv, 2, "", "usage\n", false, 1);
        }

        private static CommandResult ok(List<String> argv, String out) {
            return new CommandResult(argv, 0, out + "\n", "", false, 1);
        }
    }

    private static FixAction build(HostSystem host) throws FixException {
        return new ActionFactory(Path.of("/nonexistent-etc"), host)
                .build("firewalld-change-interface", Map.of("interface", BR, "zone", "docker"), "why");
    }

    @Test
    void aRuntimeMoveIsPreviewedExactlyAppliedAndUndoneToTheSameZone(@TempDir Path dir) throws Exception {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        fw.runtime.put(BR, "block");
        FixAction a = build(fw);
        assertEquals(List.of("$ firewall-cmd --zone=docker --change-interface=" + BR,
                "  (firewalld rebuilds its own table inet firewalld; the permanent configuration binds " + BR
                        + " to no zone, and Docker puts its bridges into docker again after a firewalld restart)"), a.preview());
        assertTrue(a.describe().contains("now in zone block at runtime"), a.describe());

        Journal journal = new Journal(dir.resolve("state"));
        FixRunner runner = new FixRunner(journal, fw);
        FixPlan plan = new FixPlan("firewalld-docker-zone", "Zone", null, null, List.of(a),
                new FixSpec.VerifySpec("container", List.of("connected")), null, null);
        FixRunner.Outcome o = runner.apply("bridge-egress", "forward-blocked", plan,
                spec -> result(fw.runtime.get(BR).equals("docker") ? "connected" : "refused"), l -> { });
        assertTrue(o.applied() && o.verified(), o.toString());
        assertEquals("docker", fw.runtime.get(BR));
        assertEquals(Map.of(), fw.permanent, "nothing permanent binds it: the permanent configuration is left alone");
        assertEquals(List.of(List.of("firewall-cmd", "--zone=docker", "--change-interface=" + BR)), fw.changes,
                "what ran is what the preview showed");

        // idempotent: a second run changes nothing and records nothing
        FixRunner.Outcome again = runner.apply("bridge-egress", "forward-blocked", plan, spec -> result("connected"), l -> { });
        assertTrue(again.nothingToChange(), again.toString());
        assertEquals(1, fw.changes.size());

        Journal.Entry entry = journal.find(o.journalId()).orElseThrow();
        assertEquals(List.of("- " + a.describe(), "    $ firewall-cmd --zone=block --change-interface=" + BR,
                "      (each only while " + BR + " is still in zone docker, where this fix put it)"), FixRunner.undoPreview(entry));
        FixRunner.UndoOutcome u = runner.undo(o.journalId(), l -> { });
        assertEquals(List.of(), u.problems());
        assertEquals("block", fw.runtime.get(BR), "back in the zone it was in");
        assertEquals(Map.of(), fw.permanent);
    }

    @Test
    void aPermanentBindingToAnotherZoneIsMovedTooAndRestored(@TempDir Path dir) throws Exception {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        fw.runtime.put(BR, "block");
        fw.permanent.put(BR, "block");
        FixAction a = build(fw);
        assertEquals(List.of("$ firewall-cmd --zone=docker --change-interface=" + BR,
                "$ firewall-cmd --permanent --zone=docker --change-interface=" + BR,
                "  (firewalld rebuilds its own table inet firewalld; the permanent configuration is written to"
                        + " /etc/firewalld/zones/docker.xml and block.xml, firewalld keeping their previous versions as .xml.old)"),
                a.preview());
        FixHost host = new FixHost(fw, dir);
        Map<String, String> undo = a.apply(host, a.intent(host));
        assertEquals("docker", fw.runtime.get(BR));
        assertEquals("docker", fw.permanent.get(BR));
        assertFalse(a.needed(host));
        a.undo(host, undo);
        assertEquals("block", fw.runtime.get(BR));
        assertEquals("block", fw.permanent.get(BR));
        a.undo(host, undo); // safe to repeat: nothing more changes
        assertEquals(4, fw.changes.size());
    }

    @Test
    void aPermanentBindingToDockerAlreadyIsLeftAsItIs(@TempDir Path dir) throws Exception {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        fw.runtime.put(BR, "block");
        fw.permanent.put(BR, "docker");
        FixAction a = build(fw);
        assertEquals(List.of("$ firewall-cmd --zone=docker --change-interface=" + BR,
                "  (firewalld rebuilds its own table inet firewalld; the permanent configuration has " + BR
                        + " in zone docker already)"), a.preview());
        FixHost host = new FixHost(fw, dir);
        a.undo(host, a.apply(host, a.intent(host)));
        assertEquals("block", fw.runtime.get(BR));
        assertEquals("docker", fw.permanent.get(BR));
        assertEquals(2, fw.changes.size(), "only the runtime binding was changed, and back");
    }

    @Test
    void anInterfaceInNoZoneAtRuntimeIsTakenOutOfDockerAgainOnUndo(@TempDir Path dir) throws Exception {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        FixAction a = build(fw);
        assertTrue(a.describe().contains("now in no zone at runtime"), a.describe());
        FixHost host = new FixHost(fw, dir);
        Map<String, String> undo = a.apply(host, a.intent(host));
        assertEquals("docker", fw.runtime.get(BR));
        assertEquals(List.of("$ firewall-cmd --zone=docker --remove-interface=" + BR,
                "  (each only while " + BR + " is still in zone docker, where this fix put it)"), a.undoPreview(undo));
        a.undo(host, undo);
        assertFalse(fw.runtime.containsKey(BR));
    }

    @Test
    void undoLeavesAZoneSomeoneElseChangedSinceAndSaysSo(@TempDir Path dir) throws Exception {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        fw.runtime.put(BR, "block");
        FixAction a = build(fw);
        FixHost host = new FixHost(fw, dir);
        Map<String, String> undo = a.apply(host, a.intent(host));
        fw.runtime.put(BR, "trusted"); // the admin moved it meanwhile
        FixException e = assertThrows(FixException.class, () -> a.undo(host, undo));
        assertTrue(e.getMessage().contains("in zone trusted"), e.getMessage());
        assertEquals("trusted", fw.runtime.get(BR));
    }

    @Test
    void aZoneChangedBetweenPlanAndApplyIsNotTouched(@TempDir Path dir) throws Exception {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        fw.runtime.put(BR, "block");
        FixAction a = build(fw);
        fw.runtime.put(BR, "drop");
        FixHost host = new FixHost(fw, dir);
        FixException e = assertThrows(FixException.class, () -> a.apply(host, a.intent(host)));
        assertTrue(e.getMessage().contains("since the plan"), e.getMessage());
        assertEquals("drop", fw.runtime.get(BR));
        assertEquals(List.of(), fw.changes);
    }

    @Test
    void notOfferedWhereFirewalldDoesNotAnswerHasNoDockerZoneOrAlreadyHasTheBridge(@TempDir Path dir) {
        ScriptedFirewallCmd fw = new ScriptedFirewallCmd(dir);
        fw.running = false;
        FixException down = assertThrows(FixException.class, () -> build(fw));
        assertTrue(down.getMessage().contains("firewall-cmd does not answer here (FirewallD is not running)"), down.getMessage());

        fw.running = true;
        fw.zones.remove("docker");
        FixException noZone = assertThrows(FixException.class, () -> build(fw));
        assertTrue(noZone.getMessage().contains("no zone docker"), noZone.getMessage());

        fw.zones.add("docker");
        fw.runtime.put(BR, "docker");
        FixException already = assertThrows(FixException.class, () -> build(fw));
        assertTrue(already.getMessage().contains("already in firewalld's zone docker"), already.getMessage());

        FixException missing = assertThrows(FixException.class, () -> FirewalldChangeInterface.plan(new HostSystem(dir), BR, "docker"));
        assertTrue(missing.getMessage().startsWith("firewall-cmd does not answer here"), missing.getMessage());
    }

    @Test
    void namesThatAreNotAFixedInterfaceOrAZoneAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FirewalldChangeInterface("br-+", "docker", "block", ""));
        assertThrows(IllegalArgumentException.class, () -> new FirewalldChangeInterface("br 1", "docker", "block", ""));
        assertThrows(IllegalArgumentException.class, () -> new FirewalldChangeInterface(BR, "--reload", "block", ""));
        assertThrows(IllegalArgumentException.class, () -> new FirewalldChangeInterface(BR, "", "block", ""));
        assertThrows(IllegalArgumentException.class, () -> new FirewalldChangeInterface(BR, "docker", "a b", ""));
    }

    @Test
    void theJournalReadsItBack() throws Exception {
        ObjectMapper json = new ObjectMapper();
        FixAction a = new FirewalldChangeInterface(BR, "docker", "block", "");
        String text = json.writeValueAsString(a);
        assertTrue(text.contains("\"kind\":\"firewalld-change-interface\""), text);
        assertEquals(a, json.readValue(text, FixAction.class));
    }

    private static StepResult result(String outcome) {
        return new StepResult("container", "Container", "container-connect", outcome, 5, "it said " + outcome, null, null, null);
    }
}
