package dev.triage.report;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixPlan;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.TestNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plain-text rendering of a diagnosis, as lines, for every face: the command line prints them, the
 * line wizard prints them, the text UI shows them in its panes. ASCII only. Every line passes
 * through {@link Printable}: summaries, evidence and explanations carry text from the engine and files.
 */
public final class HumanReport {
    private HumanReport() { }

    public static void step(PrintStream out, StepResult s) {
        out.print(Printable.line(String.format("  %-18s -> %-14s %5d ms  %s", s.test(), s.outcome(), s.millis(), s.summary()))
                + System.lineSeparator());
    }

    /** Training mode, printed under a test. */
    public static void explain(PrintStream out, TestNode test) {
        explainLines(test, 70).forEach(l -> out.println("        " + l));
    }

    /**
     * Training mode: what the test checks and the commands that do the same by hand. A test as the
     * run's listener heard it carries this run's values; one that did not run says in words what it
     * does not know ({@code <address, not known yet>}) and when a command applies.
     */
    public static List<String> explainLines(TestNode test, int width) {
        List<String> lines = new ArrayList<>(wrap(test.explain(), width));
        if (!test.manual().isEmpty()) {
            lines.add("by hand:");
            for (TestNode.Manual m : test.manual()) {
                String run = dev.triage.engine.Placeholders.renderByHand(m.run(), java.util.Map.of(), java.util.Map.of());
                if (m.condition() != null) {
                    lines.add("  (" + m.condition() + ")");
                }
                lines.add("  $ " + run);
            }
        }
        return printable(lines);
    }

    /** One test's result in full: outcome, where it led, its sentence and every evidence field. */
    public static List<String> stepLines(StepResult s, int width) {
        List<String> lines = new ArrayList<>();
        lines.add("outcome: " + s.outcome() + (s.next() == null ? "" : "  ->  " + s.next()) + "   (" + s.millis() + " ms, probe " + s.probe() + ")");
        wrap(s.summary(), width).forEach(lines::add);
        lines.addAll(evidenceLines(s));
        return printable(lines);
    }

    /** The evidence fields of a step, one "name = value" each (yes/no for true/false, long values cut, multi-line indented). */
    public static List<String> evidenceLines(StepResult s) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Object> e : s.fields().entrySet()) {
            if (e.getValue() == null || e.getKey().equals("outcome")) {
                continue;
            }
            // a yes/no fact reads as a word, not as Java's true/false
            String v = String.valueOf(e.getValue());
            v = v.equals("true") ? "yes" : v.equals("false") ? "no" : v;
            if (!v.isEmpty() && !v.equals("[]")) {
                String cut = v.length() > 300 ? v.substring(0, 300) + "..." : v;
                String[] parts = cut.split("\n", -1);
                lines.add("  " + e.getKey() + " = " + parts[0]);
                for (int i = 1; i < parts.length; i++) {
                    lines.add("      " + parts[i]);
                }
            }
        }
        return printable(lines);
    }

    public static void verdict(PrintStream out, Scenario scenario, Diagnosis d, List<FixPlan> plans, boolean withEvidence,
                               Commands commands) {
        out.println();
        verdictLines(scenario, d, plans, withEvidence, 76, commands).forEach(out::println);
    }

    /** As below, the fix commands without options of this run beyond its inputs. */
    public static List<String> verdictLines(Scenario scenario, Diagnosis d, List<FixPlan> plans, boolean withEvidence, int width) {
        return verdictLines(scenario, d, plans, withEvidence, width, Commands.DEFAULTS);
    }

    /**
     * The verdict, why, the evidence (when asked), the references and the fixes offered, each
     * available one with the command that applies it (this run's inputs and options, pasteable).
     */
    public static List<String> verdictLines(Scenario scenario, Diagnosis d, List<FixPlan> plans, boolean withEvidence, int width,
                                            Commands commands) {
        List<String> out = new ArrayList<>();
        if (d.verdict() == null) {
            out.add("VERDICT: inconclusive");
            wrap(d.inconclusiveReason(), width - 2).forEach(l -> out.add("  " + l));
            out.add("  Fix what stopped the test and run again; nothing was changed.");
            return printable(out);
        }
        out.add("VERDICT: " + d.verdict().id() + " - " + d.verdict().title()
                + (d.verdict().healthy() ? "" : " [" + d.verdict().severity().name().toLowerCase() + "]"));
        warningLines(d, width).forEach(out::add);
        wrap(d.explanation(), width - 2).forEach(l -> out.add("  " + l));
        if (withEvidence && !d.verdict().evidence().isEmpty()) {
            out.add("");
            out.add("Evidence:");
            for (String test : d.verdict().evidence()) {
                d.steps().stream().filter(s -> s.test().equals(test)).findFirst().ifPresent(s -> {
                    out.add("  " + s.test() + ": " + s.summary());
                    evidenceLines(s).forEach(l -> out.add("    " + l));
                });
            }
        }
        List<String> refs = references(scenario, d);
        if (!refs.isEmpty()) {
            out.add("");
            out.add("References, " + scenario.incident().label() + ":"); // the label has its own parentheses
            for (String r : refs) {
                List<String> wrapped = wrap(r, width - 4);
                for (int i = 0; i < wrapped.size(); i++) {
                    out.add((i == 0 ? "  - " : "    ") + wrapped.get(i));
                }
            }
        }
        if (!plans.isEmpty()) {
            out.add("");
            out.add("Fixes offered (each shows its plan and asks before it changes anything):");
            for (FixPlan p : plans) {
                out.add("  * " + p.id() + ": " + p.title() + (p.available() ? "" : "  (not available: " + p.unavailable() + ")"));
                if (!p.actions().isEmpty()) { // an unavailable plan with actions is the exact change, shown only
                    p.preview().forEach(l -> out.add("      " + l));
                }
                if (p.available()) {
                    out.add("    To apply it:");
                    out.add("      " + commands.fix(scenario, d.inputs(), p.id()));
                }
            }
        }
        return printable(out);
    }

    /** The diagnosis's warnings, each "WARNING: ..." wrapped, before anything else is explained. */
    public static List<String> warningLines(Diagnosis d, int width) {
        List<String> out = new ArrayList<>();
        for (String w : d.warnings()) {
            List<String> wrapped = wrap("WARNING: " + w, width - 4);
            for (int i = 0; i < wrapped.size(); i++) {
                out.add((i == 0 ? "  " : "    ") + wrapped.get(i));
            }
        }
        return out;
    }

    /** The verdict's references, then the scenario's, once each. */
    public static List<String> references(Scenario scenario, Diagnosis d) {
        List<String> refs = new ArrayList<>(d.verdict() == null ? List.of() : d.verdict().references());
        scenario.references().stream().filter(r -> !refs.contains(r)).forEach(refs::add);
        return refs;
    }

    /** Everything an admin confirms for one plan: what it is for, the exact changes, its warning. */
    public static List<String> planLines(FixPlan plan, int width) {
        List<String> lines = new ArrayList<>();
        lines.add(plan.title());
        wrap(plan.description(), width - 2).forEach(l -> lines.add("  " + l));
        if (!plan.available()) {
            lines.add("");
            wrap("Not available here: " + plan.unavailable(), width - 2).forEach(l -> lines.add("  " + l));
            if (!plan.actions().isEmpty()) {
                lines.add("  The exact change, shown only:");
            }
        }
        lines.add("");
        plan.preview().forEach(l -> lines.add("  " + l));
        if (plan.warning() != null) {
            lines.add("");
            wrap("WARNING: " + plan.warning(), width - 2).forEach(l -> lines.add("  " + l));
        }
        return printable(lines);
    }

    /** Every line made printable (the one place text from outside is escaped for these faces). */
    private static List<String> printable(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        lines.forEach(l -> out.add(Printable.line(l)));
        return out;
    }

    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        if (text == null) {
            return lines;
        }
        for (String para : text.strip().split("\n")) {
            para = Printable.line(para);
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
