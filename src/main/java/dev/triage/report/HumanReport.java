package dev.triage.report;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixPlan;
import dev.triage.scenario.Scenario;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Plain-text rendering of a diagnosis for a terminal or a log, ASCII only. */
public final class HumanReport {
    private HumanReport() { }

    public static void step(PrintStream out, StepResult s) {
        out.printf("  %-18s -> %-14s %5d ms  %s%n", s.test(), s.outcome(), s.millis(), s.summary());
    }

    /** Training mode: what the test checks and the commands that do the same by hand. */
    public static void explain(PrintStream out, dev.triage.scenario.TestNode test) {
        if (test.explain() != null) {
            wrap(test.explain(), 70).forEach(l -> out.println("        " + l));
        }
        if (!test.manual().isEmpty()) {
            out.println("        by hand:");
            test.manual().forEach(m -> out.println("          $ " + m));
        }
    }

    public static void verdict(PrintStream out, Scenario scenario, Diagnosis d, List<FixPlan> plans, boolean withEvidence) {
        out.println();
        if (d.verdict() == null) {
            out.println("VERDICT: inconclusive");
            out.println("  " + d.inconclusiveReason());
            out.println("  Fix what stopped the test and run again; nothing was changed.");
            return;
        }
        out.println("VERDICT: " + d.verdict().id() + " - " + d.verdict().title()
                + (d.verdict().healthy() ? "" : " [" + d.verdict().severity().name().toLowerCase() + "]"));
        for (String line : wrap(d.explanation(), 76)) {
            out.println("  " + line);
        }
        if (withEvidence && !d.verdict().evidence().isEmpty()) {
            out.println();
            out.println("Evidence:");
            for (String test : d.verdict().evidence()) {
                d.steps().stream().filter(s -> s.test().equals(test)).findFirst().ifPresent(s -> {
                    out.println("  " + s.test() + ": " + s.summary());
                    for (Map.Entry<String, Object> e : s.fields().entrySet()) {
                        if (e.getValue() == null || e.getKey().equals("outcome")) {
                            continue;
                        }
                        String v = String.valueOf(e.getValue());
                        if (!v.isEmpty() && !v.equals("[]")) {
                            out.println("      " + e.getKey() + " = " + (v.length() > 300 ? v.substring(0, 300) + "..." : v).replace("\n", "\n        "));
                        }
                    }
                });
            }
        }
        List<String> refs = new java.util.ArrayList<>(d.verdict().references());
        scenario.references().stream().filter(r -> !refs.contains(r)).forEach(refs::add);
        if (!refs.isEmpty()) {
            out.println();
            out.println("References (incident " + scenario.incident().id() + ", " + scenario.incident().file() + "):");
            refs.forEach(r -> out.println("  - " + r));
        }
        if (!plans.isEmpty()) {
            out.println();
            out.println("Fixes offered (triage fix " + scenario.id() + " [--choose ID]):");
            for (FixPlan p : plans) {
                out.println("  * " + p.id() + ": " + p.title() + (p.available() ? "" : "  (not available: " + p.unavailable() + ")"));
                if (!p.actions().isEmpty()) { // an unavailable plan with actions is the exact change, shown only
                    p.preview().forEach(l -> out.println("      " + l));
                }
            }
        }
    }

    public static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        if (text == null) {
            return lines;
        }
        for (String para : text.strip().split("\n")) {
            StringBuilder line = new StringBuilder();
            for (String word : para.split(" ")) {
                if (line.length() + word.length() + 1 > width && line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(word);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
