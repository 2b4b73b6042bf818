package dev.triage.line;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.ExitCodes;
import dev.triage.engine.RunListener;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import dev.triage.fix.flow.FixFlow;
import dev.triage.fix.flow.FixResult;
import dev.triage.report.HumanReport;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.TestNode;
import dev.triage.wizard.WizardSession;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wizard as a line dialog (JLine): numbered choices, prompts with defaults, y/N confirmations.
 * For TERM=dumb, no terminal (ssh without -t, cron) and --plain. Same flow and logic as the text UI,
 * through {@link WizardSession}.
 */
public final class LineWizard {
    private final WizardSession session;
    private final Terminal terminal;
    private final LineReader reader;
    private final PrintStream out;
    private final boolean explain;

    /** The wizard was left before its end (q, Ctrl-C, Ctrl-D): nothing more is asked. */
    static final class Quit extends RuntimeException {
        Quit() {
            super(null, null, false, false);
        }
    }

    public LineWizard(WizardSession session, Terminal terminal, boolean explain) {
        this.session = session;
        this.terminal = terminal;
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
        // text from outside made printable, and every line wrapped at words to the terminal's width
        this.out = new Wrapping(dev.triage.report.Printable.stream(terminal.output(), terminal.encoding()), this::width);
        this.explain = explain;
    }

    /** Runs the whole flow; returns the exit code of the last diagnosis (0/1/2), 130 when left before one. */
    public int run() {
        Integer last = null;
        try {
            while (true) {
                String scenario = pickSymptom();
                if (scenario != null) {
                    session.choose(scenario);
                }
                Map<String, String> values = askInputs();
                Diagnosis d = runTests(values);
                if (session.cancelled()) {
                    // Ctrl-C during the tests: the shutdown is under way, nothing more is asked
                    out.println("Stopped; this run's probe containers and networks are removed. Nothing was changed.");
                    return 130;
                }
                HumanReport.verdict(out, session.scenario(), d, session.plans(), true, session.commands());
                last = ExitCodes.of(d);
                offerFix(d);
                offerReport();
                if (!confirm("Another diagnosis?")) {
                    return last;
                }
            }
        } catch (Quit e) {
            if (last != null) {
                return last; // the end of the input after a verdict: that verdict's code
            }
            out.println("Left the wizard; nothing was changed by this step.");
            return 130;
        }
    }

    private String pickSymptom() {
        String filter = "";
        while (true) {
            List<WizardSession.Symptom> list = session.symptoms(filter);
            out.println();
            out.println(filter.isEmpty() ? "What do you see?" : "Symptoms matching '" + filter + "':");
            for (int i = 0; i < list.size(); i++) {
                WizardSession.Symptom s = list.get(i);
                List<String> lines = HumanReport.wrap(s.symptom(), width() - 6);
                for (int j = 0; j < lines.size(); j++) {
                    out.println((j == 0 ? String.format("  %2d) ", i + 1) : "      ") + lines.get(j));
                }
                out.println("      " + s.scenario() + ", incident " + s.incident());
            }
            if (list.isEmpty()) {
                out.println("  (none; type other words, or Enter for all)");
            }
            session.scenarioProblems().forEach(p -> out.println("  warning: a scenario file was skipped: " + p));
            out.println("   L) Practice on a lab: a sandbox broken the way an incident was (training)");
            String answer = ask("Number, words to filter, ? for help, q to quit", ""); // L: the line above
            if (answer.equalsIgnoreCase("l")) {
                if (pickLab()) {
                    return null; // the lab chose its scenario and filled the inputs
                }
                continue;
            }
            if (answer.equals("?")) {
                help();
                continue;
            }
            if (answer.matches("\\d{1,3}") && Integer.parseInt(answer) >= 1 && Integer.parseInt(answer) <= list.size()) {
                return list.get(Integer.parseInt(answer) - 1).scenario();
            }
            filter = answer;
            List<WizardSession.Symptom> matching = session.symptoms(filter);
            if (!filter.isBlank() && matching.size() == 1) {
                out.println("One symptom matches '" + filter + "': " + matching.get(0).symptom());
                return matching.get(0).scenario(); // nothing to choose between
            }
        }
    }

    /** The labs, numbered; starting one chooses its scenario with its inputs. False: back to the symptoms. */
    private boolean pickLab() {
        List<WizardSession.LabChoice> labs = session.labs();
        out.println();
        out.println("Labs (triage lab list; grade yourself with triage lab check, restore with triage lab stop):");
        for (int i = 0; i < labs.size(); i++) {
            WizardSession.LabChoice l = labs.get(i);
            out.println(String.format("  %2d) ", i + 1) + l.title() + "  #" + l.incident()
                    + (l.missing().isEmpty() ? "" : "  (cannot run here: needs " + String.join("; ", l.missing()) + ")"));
        }
        String answer = ask("Number, Enter to go back", "");
        if (!answer.matches("\\d{1,3}") || Integer.parseInt(answer) < 1 || Integer.parseInt(answer) > labs.size()) {
            return false;
        }
        WizardSession.LabChoice chosen = labs.get(Integer.parseInt(answer) - 1);
        out.println("Starting lab " + chosen.id() + " (building its sandbox)...");
        try {
            session.startLab(chosen.id(), line -> out.println("  " + line));
        } catch (dev.triage.lab.LabException e) {
            out.println("  ! " + dev.triage.host.Failures.words(e));
            return false;
        }
        out.println();
        out.println("What you see:");
        HumanReport.wrap(chosen.symptom(), width() - 4).forEach(l -> out.println("  " + l));
        out.println("The form below has the lab's values. Find the cause; then run triage lab check --answer VERDICT.");
        return true;
    }

    private Map<String, String> askInputs() {
        Map<String, String> values = new LinkedHashMap<>();
        out.println();
        out.println(session.scenario().title());
        out.println("Inputs (Enter keeps the value in brackets; - clears it):");
        for (InputSpec in : session.fields()) {
            values.put(in.name(), askField(in, values));
        }
        while (true) {
            // cross-field rules (a target that needs its network): ask again for what is still wrong
            Map<String, String> problems = session.problems(values);
            if (problems.isEmpty()) {
                return values;
            }
            for (var p : problems.entrySet()) {
                out.println("  ! " + p.getValue());
                session.fields().stream().filter(f -> f.name().equals(p.getKey())).findFirst()
                        .ifPresent(f -> values.put(f.name(), askField(f, values)));
            }
        }
    }

    private String askField(InputSpec in, Map<String, String> values) {
        while (true) {
            out.println();
            HumanReport.wrap(in.name() + (in.required() ? " (required)" : "") + ": " + in.prompt(), width() - 4)
                    .forEach(l -> out.println("  " + l));
            if (in.help() != null) {
                HumanReport.wrap(in.help(), width() - 6).forEach(l -> out.println("    " + l));
            }
            String current = values.getOrDefault(in.name(), session.initialValue(in));
            String answer = ask(in.name(), current);
            String value = answer.equals("-") ? "" : answer;
            String problem = in.check(value);
            if (problem == null) {
                return value;
            }
            out.println("  ! " + problem);
        }
    }

    private Diagnosis runTests(Map<String, String> values) {
        out.println();
        out.println("Running the tests (Ctrl-C stops them and cleans up):");
        return session.diagnose(values, new RunListener() {
            @Override
            public void testStarted(TestNode test) {
                out.println("  ... " + test.title());
            }

            @Override
            public void testFinished(TestNode test, StepResult result) {
                HumanReport.step(out, result);
                if (explain) {
                    HumanReport.explain(out, test);
                }
            }
        }, () -> false);
    }

    private void offerFix(Diagnosis d) {
        List<FixPlan> plans = session.plans();
        if (d.status() != Diagnosis.Status.PROBLEM || plans.isEmpty()) {
            return;
        }
        List<FixPlan> ready = plans.stream().filter(FixPlan::available).toList();
        if (ready.isEmpty()) {
            out.println();
            out.println("No fix can be applied here: " + plans.get(0).unavailable());
            return;
        }
        List<FixPlan> left = new java.util.ArrayList<>(ready);
        while (!left.isEmpty()) {
            out.println();
            out.println(left.size() == ready.size() ? "Fixes offered:" : "Other fixes offered:");
            for (int i = 0; i < left.size(); i++) {
                out.println("  " + (i + 1) + ") " + left.get(i).title());
            }
            String answer = ask("Fix to see its plan (number), or Enter for not now", "");
            if (!answer.matches("\\d{1,3}") || Integer.parseInt(answer) < 1 || Integer.parseInt(answer) > left.size()) {
                return;
            }
            FixPlan chosen = left.remove(Integer.parseInt(answer) - 1);
            if (!applyFix(chosen)) {
                return;
            }
        }
    }

    /** Walks one fix through the session's flow; true when it was declined at its first step (another may be tried). */
    private boolean applyFix(FixPlan chosen) {
        // the session's fix flow decides what comes next (the follow-up restart included); this face asks and tells
        FixFlow flow = session.fixFlow();
        FixFlow.Step step = flow.begin(chosen);
        int told = 0;
        boolean declinedFirst = false;
        while (step instanceof FixFlow.Question q) {
            FixPlan plan = q.plan();
            out.println();
            if (q.followUp()) {
                out.println("Next step, to put the change in effect:");
            }
            out.print("Plan: ");
            HumanReport.planLines(plan, width() - 2).forEach(out::println);
            int count = plan.actions().size();
            step = confirm("Apply " + (count == 1 ? "this change" : "these " + count + " changes") + "?")
                    ? flow.apply(q, line -> out.println("  " + line)) : flow.decline(q);
            FixResult r = flow.results().get(flow.results().size() - 1);
            for (FixResult said : flow.results().subList(told, flow.results().size())) {
                tell(said);
            }
            told = flow.results().size();
            if (r instanceof FixResult.Declined && !q.followUp()) {
                declinedFirst = true;
                out.println("Not applied; nothing was changed.");
                if (confirm("Save the plan as a shell script to review later?")) {
                    save(() -> out.println("Saved: " + session.savePlanScript(plan)));
                }
            }
        }
        List<FixResult> results = flow.results();
        for (FixResult r : results.subList(told, results.size())) {
            tell(r);
        }
        String undoable = results.stream().filter(r -> r instanceof FixResult.Applied a && a.undoable())
                .map(r -> ((FixResult.Applied) r).journalId()).findFirst().orElse(null);
        if (undoable == null) {
            return declinedFirst;
        }
        if (confirm("Undo it now?")) {
            try {
                FixRunner.UndoOutcome u = session.undo(undoable, line -> out.println("  " + line));
                out.println("Undone: " + u.reverted() + " change(s) reverted" + (u.problems().isEmpty() ? "" : "; " + u.problems()));
            } catch (FixException e) {
                out.println("Not undone: " + dev.triage.host.Failures.words(e));
            }
        } else {
            out.println("Undo later with: " + dev.triage.report.Commands.undo(undoable));
        }
        return false;
    }

    /** How a step of the fix went, in one line. */
    private void tell(FixResult r) {
        if (r instanceof FixResult.RolledBack b) {
            out.println("Rolled back: " + (b.outcome().error() != null ? b.outcome().error() : b.outcome().verification().summary()));
        } else if (r instanceof FixResult.NothingToChange) {
            out.println("Nothing to change.");
        } else if (r instanceof FixResult.Applied a) {
            out.println("Applied as " + a.journalId() + (a.verified() ? "; verified: " + a.outcome().verification().summary()
                    : "; triage cannot verify this one: check by hand"));
        } else if (r instanceof FixResult.NotApplied n) {
            out.println("Not applied: " + n.error());
        } else if (r instanceof FixResult.StillToDo t) {
            out.println("Still to do: " + t.what());
        } else if (r instanceof FixResult.Declined d && d.earlierJournalId() != null) {
            out.println("This step was not taken. The change before it stays applied (undo with: triage undo "
                    + d.earlierJournalId() + "), and is not in effect until this step is done.");
        }
    }

    private void offerReport() {
        if (!confirm("Save a report of this session (Markdown and JSON) to attach to a ticket?")) {
            return;
        }
        String dir = ask("Folder", session.reportDir().toString());
        save(() -> session.saveReport(Path.of(dir)).forEach(p -> out.println("Saved: " + p)));
    }

    private interface Saving {
        void run() throws Exception;
    }

    /** A save that fails (permission denied, a full disk) says so; nothing else is lost. */
    private void save(Saving saving) {
        try {
            saving.run();
        } catch (Exception e) {
            out.println("Could not save: " + dev.triage.host.Failures.words(e) + " (try another folder)");
        }
    }

    private void help() {
        out.println();
        dev.triage.wizard.HelpText.lines("help/line.txt").forEach(out::println);
    }

    private boolean confirm(String question) {
        String a = ask(question + " [y/N]", "");
        return a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes");
    }

    private String ask(String prompt, String current) {
        try {
            String line = reader.readLine(dev.triage.report.Printable.line(prompt + (current.isEmpty() ? "" : " [" + current + "]") + ": "));
            String a = line == null ? "" : line.strip();
            if (a.equals("q") && current.isEmpty()) {
                throw new Quit();
            }
            return a.isEmpty() ? current : a;
        } catch (UserInterruptException | EndOfFileException e) {
            throw new Quit();
        }
    }

    /** The terminal's width for wrapping; a dumb terminal or a pipe says 0, then 80. */
    private int width() {
        int w = terminal.getWidth();
        return w >= 40 ? Math.min(w, 120) : 80;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** Prints each line wrapped at words to the width (never cut mid-word); a command goes on with " \\", pasteable. */
    static final class Wrapping extends PrintStream {
        private final PrintStream to;
        private final java.util.function.IntSupplier width;

        Wrapping(PrintStream to, java.util.function.IntSupplier width) {
            super(to, true);
            this.to = to;
            this.width = width;
        }

        @Override
        public void println(String x) {
            wrap(x == null ? "null" : x, width.getAsInt()).forEach(to::println);
        }

        @Override
        public void println(Object x) {
            println(String.valueOf(x));
        }

        @Override
        public void print(String s) {
            String sep = System.lineSeparator();
            if (s != null && s.endsWith(sep) && s.indexOf('\n') == s.length() - 1) {
                println(s.substring(0, s.length() - sep.length()));
            } else {
                to.print(s);
            }
        }

        static List<String> wrap(String line, int width) {
            if (line.length() <= width) {
                return List.of(line);
            }
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == ' ') {
                indent++;
            }
            String body = line.strip();
            boolean command = body.startsWith("$ ") || body.startsWith("triage ");
            String cont = " ".repeat(Math.min(indent + 4, width / 2));
            List<String> out = new java.util.ArrayList<>();
            String rest = line;
            while (rest.length() > width) {
                int room = command ? width - 2 : width;
                int cut = rest.lastIndexOf(' ', room);
                if (cut <= (out.isEmpty() ? indent : cont.length())) {
                    // one word longer than the line (a path): kept whole, never cut inside
                    cut = rest.indexOf(' ', room);
                    if (cut < 0) {
                        break;
                    }
                }
                {
                    out.add(rest.substring(0, cut) + (command ? " \\" : ""));
                    rest = cont + rest.substring(cut + 1);
                }
            }
            out.add(rest);
            return out;
        }
    }
}
