package dev.triage.wizard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.Triage;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import dev.triage.fix.PlanScript;
import dev.triage.report.JsonReport;
import dev.triage.report.SessionReport;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The wizard's flow, for both faces (the text UI and line mode): symptom, inputs, tests, verdict,
 * fix, undo, report. Everything it does goes through the same {@link Triage} facade as the
 * command line; a face only shows and asks.
 */
public final class WizardSession implements AutoCloseable {
    private final Triage triage;
    private final Triage.Run run;
    private final Duration budget;
    private Scenario scenario;
    private Diagnosis diagnosis;
    private List<FixPlan> plans = List.of();
    private final List<SessionReport.Event> events = new ArrayList<>();

    /** One symptom to pick: the words an admin would use, and the incident behind them. */
    public record Symptom(String scenario, String symptom, String title, String incident, String summary) { }

    public WizardSession(Triage triage, Duration budget, Consumer<String> notices) {
        this.triage = triage;
        this.budget = budget;
        this.run = triage.openRun(notices);
        run.docker().connectInBackground();
    }

    /** The symptoms, filtered by words the admin types (every word must appear, any case). */
    public List<Symptom> symptoms(String filter) {
        List<String> words = filter == null || filter.isBlank() ? List.of()
                : List.of(filter.toLowerCase(Locale.ROOT).strip().split("\\s+"));
        List<Symptom> out = new ArrayList<>();
        for (Scenario s : triage.scenarios().scenarios().values()) {
            String text = (s.id() + " " + s.symptom() + " " + s.title() + " " + s.incident().id()).toLowerCase(Locale.ROOT);
            if (words.stream().allMatch(text::contains)) {
                out.add(new Symptom(s.id(), s.symptom(), s.title(), s.incident().id(), s.incident().summary()));
            }
        }
        return out;
    }

    /** Problems with the scenario files themselves, to show instead of hiding them. */
    public List<String> scenarioProblems() {
        return triage.scenarios().problems().stream().map(String::valueOf).toList();
    }

    public Scenario choose(String scenarioId) {
        scenario = triage.scenarios().get(scenarioId);
        if (scenario == null) {
            throw new IllegalArgumentException("no scenario " + scenarioId);
        }
        diagnosis = null;
        plans = List.of();
        return scenario;
    }

    public Scenario scenario() {
        return scenario;
    }

    public List<InputSpec> fields() {
        return scenario.inputs();
    }

    /** Each field's problem, by field name (empty when the form can be run). */
    public Map<String, String> problems(Map<String, String> values) {
        return Triage.inputProblems(scenario, Triage.withDefaults(scenario, values));
    }

    /** Runs the tests; blocks (a face runs it off its UI thread). {@code cancelled} stops it at once. */
    public Diagnosis diagnose(Map<String, String> values, RunListener listener, BooleanSupplier cancelled) {
        Map<String, String> inputs = Triage.withDefaults(scenario, values);
        Map<String, String> problems = Triage.inputProblems(scenario, inputs);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems.values()));
        }
        run.sweep();
        diagnosis = run.diagnose(scenario, inputs, budget, listener, cancelled);
        plans = diagnosis.verdict() == null ? List.of() : run.plans(scenario, diagnosis);
        return diagnosis;
    }

    public Diagnosis diagnosis() {
        return diagnosis;
    }

    public List<FixPlan> plans() {
        return plans;
    }

    /** Applies a confirmed plan; verification and rollback as in 'triage fix'. */
    public FixRunner.Outcome apply(FixPlan plan, Consumer<String> progress) throws FixException {
        if (!plan.available()) {
            throw new FixException(plan.id() + " is not available: " + plan.unavailable());
        }
        FixRunner.Outcome o = run.apply(scenario, diagnosis, plan, Duration.ofSeconds(Math.max(10, budget.toSeconds() / 2)),
                progress);
        String what = o.rolledBack() ? "fix " + plan.id() + " rolled back: " + (o.error() != null ? o.error()
                : o.verification() == null ? "" : o.verification().summary())
                : o.nothingToChange() ? "fix " + plan.id() + ": nothing to change"
                : "fix " + plan.id() + " applied as " + o.journalId() + (o.verified() ? ", verified" : ", not verifiable by triage");
        events.add(new SessionReport.Event(what, JsonReport.fix(plan, o, null)));
        return o;
    }

    public FixRunner.UndoOutcome undo(String journalId, Consumer<String> progress) throws FixException {
        FixRunner.UndoOutcome u = triage.undo(journalId, progress);
        events.add(new SessionReport.Event("undo " + u.journalId() + ": " + u.reverted() + " change(s) reverted"
                + (u.problems().isEmpty() ? "" : "; problems: " + u.problems()), null));
        return u;
    }

    /** "Not now": nothing changes; the plan can be kept as a script to review. */
    public void declined(FixPlan plan) {
        events.add(new SessionReport.Event("fix " + plan.id() + " not applied (declined)", (ObjectNode) null));
    }

    public Path savePlanScript(FixPlan plan, Path dir) throws IOException {
        Path file = dir.resolve("triage-plan-" + plan.id() + "-" + stamp() + ".sh");
        Files.writeString(file, PlanScript.of(scenario.id(), diagnosis.verdict().id(), plan), StandardOpenOption.CREATE_NEW);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // to review, not to run by accident
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the default is fine
        }
        events.add(new SessionReport.Event("plan " + plan.id() + " saved as " + file, null));
        return file;
    }

    public List<Path> saveReport(Path dir) throws IOException {
        return SessionReport.save(dir, "triage-" + scenario.id() + "-" + stamp(), scenario, diagnosis, plans, events);
    }

    private static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    @Override
    public void close() {
        run.close();
    }
}
