package dev.triage.scenario;

import java.util.List;

/**
 * A leaf of the tree: what is wrong (or that nothing is), in plain words, with the tests whose
 * evidence supports it and the fixes it offers.
 */
public record Verdict(String id, String title, boolean healthy, Severity severity, String explanation,
                      List<String> evidence, List<String> references, List<String> fixes, int line) {

    public enum Severity { INFO, WARNING, CRITICAL }
}
