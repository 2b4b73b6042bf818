package dev.triage.scenario;

import java.util.List;

/**
 * A leaf of the tree: what is wrong (or that nothing is), in plain words, with the tests whose
 * evidence supports it and the fixes it offers.
 *
 * @param inconclusive the walk ended here because a test could not be set up (a missing image, a
 *                     bad input): it explains why but identifies no problem (exit code 2)
 */
public record Verdict(String id, String title, boolean healthy, boolean inconclusive, Severity severity, String explanation,
                      List<String> evidence, List<String> references, List<String> fixes, int line) {

    public enum Severity { INFO, WARNING, CRITICAL }
}
