package dev.triage.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Which command lines start reaching the engine before they are parsed. */
class EarlyEngineTest {
    @Test
    void theWizardDiagnoseAndFixDo() {
        assertTrue(TriageCommand.reachesEngineFirst());
        assertTrue(TriageCommand.reachesEngineFirst("diagnose", "bridge-intercontainer"));
        assertTrue(TriageCommand.reachesEngineFirst("fix", "bridge-egress", "--set", "network=x"));
    }

    @Test
    void othersAndHelpDoNot() {
        assertFalse(TriageCommand.reachesEngineFirst("--version"));
        assertFalse(TriageCommand.reachesEngineFirst("list"));
        assertFalse(TriageCommand.reachesEngineFirst("validate"));
        assertFalse(TriageCommand.reachesEngineFirst("help", "diagnose"));
        assertFalse(TriageCommand.reachesEngineFirst("diagnose", "--help"));
        assertFalse(TriageCommand.reachesEngineFirst("fix", "bridge-egress", "-h"));
        assertFalse(TriageCommand.reachesEngineFirst("undo", "x"));
    }
}
