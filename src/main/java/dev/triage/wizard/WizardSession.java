package dev.triage.wizard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.app.Triage;
import dev.triage.engine.DecisionEngine;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.engine.RunListener;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import dev.triage.fix.PlanScript;
import dev.triage.report.JsonReport;
import dev.triage.report.SessionReport;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.TestNode;
import dev.triage.scenario.Verdict;

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
    private final Duration budget;
    private final Consumer<String> notices;
    private final Path workDir;
    /** The run of the current diagnosis: its probe resources go when the next one starts, or at close. */
    private volatile Triage.Run run;
    /** Earlier runs being cleaned up in the background; close() waits for them. */
    private final List<Thread> retiring = new ArrayList<>();
    private volatile Scenario scenario;
    private volatile Diagnosis diagnosis;
    private volatile List<FixPlan> plans = List.of();
    private final List<SessionReport.Event> events = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Values a started lab gives the form (its network, target, files), instead of the defaults. */
    private final Map<String, String> presets = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile dev.triage.lab.Labs labs;

    /** One symptom to pick: the words an admin would use, and the incident behind them. */
    public record Symptom(String scenario, String symptom, String title, String incident, String summary) { }

    /**
     * @param workDir where plan scripts go, and the report unless another folder is named (the
     *                folder triage was started from)
     */
    public WizardSession(Triage triage, Duration budget, Path workDir, Consumer<String> notices) {
        this.triage = triage;
        this.budget = budget;
        this.workDir = workDir.toAbsolutePath();
        this.notices = notices;
        this.run = triage.openRun(notices);
        run.docker().connectInBackground(); // while the admin reads the list
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
        presets.clear();
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

    /** A field's first value: what a started lab gives, else the scenario's default. */
    public String initialValue(InputSpec in) {
        return presets.getOrDefault(in.name(), in.defaultValue());
    }

    /** A lab to practise on: what the trainee sees, and what this machine lacks for it (empty: ready). */
    public record LabChoice(String id, String title, String incident, String symptom, List<String> missing) { }

    public List<LabChoice> labs() {
        if (labs == null) {
            labs = new dev.triage.lab.Labs(triage, triage.env());
        }
        return labs.repository().labs().values().stream()
                .map(l -> new LabChoice(l.id(), l.title(), l.incident(), l.symptom(), labs.missing(l))).toList();
    }

    /**
     * Starts a lab (or takes the one of that id already running), chooses its scenario and fills
     * the form with the lab's inputs. Blocks while the sandbox is built (a face runs it off its UI thread).
     */
    public LabChoice startLab(String id, Consumer<String> progress) throws dev.triage.lab.LabException {
        labs();
        dev.triage.lab.Lab lab = labs.lab(id);
        Map<String, String> inputs = labs.current().filter(s -> s.lab.equals(id) && s.phase.equals("running"))
                .map(s -> s.inputs).orElse(null);
        if (inputs == null) {
            inputs = labs.start(id, progress).state().inputs;
        }
        choose(lab.scenario());
        presets.putAll(inputs);
        return new LabChoice(lab.id(), lab.title(), lab.incident(), lab.symptom(), List.of());
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
        diagnosis = null;
        plans = List.of();
        run.sweep();
        Diagnosis d = run.diagnose(scenario, inputs, budget, listener, cancelled);
        plans = d.verdict() == null ? List.of() : run.plans(scenario, d);
        // The probe containers and networks go now, not at exit: the admin reads the verdict with a clean
        // 'docker ps'. A fix is verified on fresh resources of the next run. After Esc the cleanup is
        // waited for (the abandoned probes are stopped by removing what they created).
        renewRun(cancelled.getAsBoolean());
        diagnosis = d;
        return d;
    }

    /** Whether the last diagnosis was stopped by the admin. */
    public boolean cancelled() {
        return diagnosis != null && diagnosis.verdict() == null && DecisionEngine.CANCELLED.equals(diagnosis.inconclusiveReason());
    }

    /**
     * Closes the current run (removing its probe containers and networks by label) and opens a new
     * one for what comes next. {@code wait}: the caller needs the cleanup done (a cancel); otherwise
     * it runs aside and close() waits for it.
     */
    private void renewRun(boolean wait) {
        Triage.Run old = run;
        try {
            run = triage.openRun(notices);
        } catch (IllegalStateException shuttingDown) {
            return; // Ctrl-C or SIGTERM: the JVM is ending and the old run's shutdown hook cleans up
        }
        run.docker().connectInBackground();
        if (wait) {
            old.close();
            return;
        }
        Thread t = new Thread(old::close, "triage-retire-run");
        t.setDaemon(false);
        t.start();
        synchronized (retiring) {
            retiring.add(t);
        }
    }

    /**
     * How a test of the last diagnosis went, for the marks of a face: evidence of a problem verdict
     * (failed, or a warning for a warning), inconclusive, passed, or skipped (not on the path).
     */
    public TestStatus status(String testId) {
        if (diagnosis == null) {
            return TestStatus.PENDING;
        }
        StepResult step = diagnosis.steps().stream().filter(s -> s.test().equals(testId)).findFirst().orElse(null);
        if (step == null) {
            return TestStatus.SKIPPED;
        }
        if (step.inconclusive()) {
            return TestStatus.INCONCLUSIVE;
        }
        Verdict v = diagnosis.verdict();
        if (v != null && !v.healthy() && !v.inconclusive() && v.evidence().contains(testId)) {
            return v.severity() == Verdict.Severity.CRITICAL ? TestStatus.FAILED : TestStatus.WARNING;
        }
        return TestStatus.PASSED;
    }

    /** The scenario's tests that the walk did not reach, in the file's order. */
    public List<TestNode> skippedTests() {
        if (diagnosis == null) {
            return List.of();
        }
        return scenario.tests().values().stream()
                .filter(t -> diagnosis.steps().stream().noneMatch(s -> s.test().equals(t.id()))).toList();
    }

    /** The follow-up a plan names with {@code then:} (a restart that loads a changed file), if offered. */
    public java.util.Optional<FixPlan> followUp(FixPlan plan) {
        return plan.then() == null ? java.util.Optional.empty()
                : plans.stream().filter(p -> p.id().equals(plan.then())).findFirst();
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

    /** The folder triage was started from: plan scripts go there, and reports by default. */
    public Path workDir() {
        return workDir;
    }

    /** Keeps a plan as a shell script in {@link #workDir()}, not executable, never over a file. */
    public Path savePlanScript(FixPlan plan) throws IOException {
        Path file = workDir.resolve("triage-plan-" + plan.id() + "-" + stamp() + ".sh");
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
        return SessionReport.save(dir, "triage-" + scenario.id() + "-" + stamp(), scenario, diagnosis, plans, copyOfEvents());
    }

    private List<SessionReport.Event> copyOfEvents() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private static String stamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }

    @Override
    public void close() {
        run.close();
        List<Thread> pending;
        synchronized (retiring) {
            pending = new ArrayList<>(retiring);
        }
        for (Thread t : pending) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
