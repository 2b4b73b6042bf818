package dev.triage.fix;

import dev.triage.scenario.FixSpec;

import java.util.List;

/**
 * A fix made concrete for this machine: typed actions with every value resolved, ready to preview.
 * {@code unavailable} says why it cannot be offered here (a missing input, a condition not met).
 */
public record FixPlan(String id, String title, String description, String warning, List<FixAction> actions,
                      FixSpec.VerifySpec verify, String then, String unavailable) {

    public boolean available() {
        return unavailable == null;
    }

    /** Everything the admin confirms: each action's description and exact commands or diff. */
    public List<String> preview() {
        List<String> lines = new java.util.ArrayList<>();
        int n = 1;
        for (FixAction a : actions) {
            lines.add(n++ + ". " + a.describe() + (a.reversible() ? "" : "  [cannot be undone]")
                    + (a.onlyAfterChange() ? "  [only if a change above was made]" : ""));
            a.preview().forEach(l -> lines.add("     " + l));
        }
        if (verify == null) {
            lines.add("Verification: none possible by this tool; check by hand after applying.");
        } else {
            lines.add("Verification: run test '" + verify.test() + "' again on fresh probe resources; expect " + String.join(" or ", verify.expect())
                    + (verify.within().isZero() ? "." : ", retrying for up to " + verify.within().toSeconds() + " s while it settles."));
        }
        return lines;
    }
}
