package dev.triage.fix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A fix plan as a shell script, for "not now": the admin reviews it, perhaps runs it later. It
 * makes the same changes as the plan, without triage's safety net (journal, undo, verification),
 * and says so at the top.
 */
public final class PlanScript {

    private PlanScript() { }

    public static String of(String scenario, String verdict, FixPlan plan) {
        List<String> lines = new ArrayList<>();
        lines.add("#!/bin/sh");
        lines.add("# triage fix '" + plan.id() + "' for " + scenario + " / " + verdict + ", planned " + Instant.now());
        lines.add("# " + plan.title());
        lines.add("# Review before running. Unlike 'triage fix', this script keeps no journal, cannot undo");
        lines.add("# and does not verify; files get a .before-triage copy.");
        lines.add("set -eu");
        int n = 1;
        for (FixAction a : plan.actions()) {
            lines.add("");
            lines.add("# " + n++ + ". " + a.describe() + (a.reversible() ? "" : " (cannot be undone)"));
            lines.addAll(a.script());
        }
        if (plan.verify() != null) {
            lines.add("");
            lines.add("# Then check: triage diagnose " + scenario + " (with the same --set options)");
        }
        return String.join("\n", lines) + "\n";
    }
}
