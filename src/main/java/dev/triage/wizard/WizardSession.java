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
import dev.triage.fix.flow.FixFlow;
import dev.triage.fix.flow.FixResult;
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
    private volatile List<String> swept = List.of();
    private final List<SessionReport.Event> events = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Values a started lab gives the form (its network, target, files), instead of the defaults. */
    private final Map<String, String> presets = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile dev.triage.lab.Labs labs;
    /** Whether the report of the last diagnosis was saved (leaving after a problem asks otherwise). */
    private volatile boolean reportSaved;

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
            if (triage.scenarios().collision(s.id()).isPresent()) {
                continue; // two files claim this id: refused, and said in scenarioProblems()
            }
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
        triage.scenariosFor(scenarioId).collision(scenarioId).ifPresent(why -> {
            throw new IllegalArgumentException(why);
        });
        presets.clear();
        scenario = triage.scenariosFor(scenarioId).get(scenarioId);
        if (scenario == null) {
            throw new IllegalArgumentException("no scenario " + scenarioId);
        }
        diagnosis = null;
        plans = List.of();
        events.clear();
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
        dev.triage.lab.Labs labs = labsHere();
        return labs.repository().labs().values().stream()
                .map(l -> new LabChoice(l.id(), l.title(), l.incident(), l.symptom(), labs.missing(l))).toList();
    }

    /**
     * Starts a lab (or takes the one of that id already running), chooses its scenario and fills
     * the form with the lab's inputs. Blocks while the sandbox is built (a face runs it off its UI thread).
     */
    public LabChoice startLab(String id, Consumer<String> progress) throws dev.triage.lab.LabException {
        dev.triage.lab.Labs labs = labsHere();
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

    /** Each field's problem, by field name (empty when the form can be run); relative paths count resolved. */
    public Map<String, String> problems(Map<String, String> values) {
        return Triage.inputProblems(scenario, Triage.withDefaults(scenario, resolved(values)));
    }

    /**
     * A value as the tests take it: a relative path where the field wants an absolute one is resolved
     * against the folder triage was started from; any other value stays as typed.
     */
    public String resolve(InputSpec in, String value) {
        if (value == null || value.isEmpty() || value.startsWith("/") || in.check(value) == null) {
            return value;
        }
        try {
            String abs = workDir.resolve(value).normalize().toString();
            return in.check(abs) == null ? abs : value;
        } catch (java.nio.file.InvalidPathException e) {
            return value;
        }
    }

    private Map<String, String> resolved(Map<String, String> values) {
        Map<String, String> out = new java.util.LinkedHashMap<>(values);
        for (InputSpec in : scenario.inputs()) {
            out.computeIfPresent(in.name(), (k, v) -> resolve(in, v));
        }
        return out;
    }

    /** Whether a field names something the engine can list (a container, a network, a compose project). */
    public boolean offersChoices(InputSpec in) {
        return List.of("container", "network", "compose-file").contains(in.name());
    }

    /** The engine's containers, networks or compose projects for a field; throws when the engine cannot be reached. */
    public List<dev.triage.docker.EngineObjects.Item> choices(InputSpec in) throws dev.triage.docker.EngineUnreachableException {
        var client = run.docker().client();
        return switch (in.name()) {
            case "container" -> dev.triage.docker.EngineObjects.containers(client);
            case "network" -> dev.triage.docker.EngineObjects.networks(client);
            case "compose-file" -> dev.triage.docker.EngineObjects.composeProjects(client).values().stream()
                    .map(p -> new dev.triage.docker.EngineObjects.Item(p.name(), "compose project"
                            + (p.workingDir().isEmpty() ? "" : " in " + p.workingDir()))).toList();
            default -> List.of();
        };
    }

    /**
     * The form values a compose project gives (from its containers' labels): its compose file, its env
     * file (the one compose names, else .env or mailu.env in its folder when there) and its network.
     * Only the scenario's fields; none the labels do not tell.
     */
    public Map<String, String> fromComposeProject(String name) throws dev.triage.docker.EngineUnreachableException {
        var p = dev.triage.docker.EngineObjects.composeProjects(run.docker().client()).get(name);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (p == null) {
            return out;
        }
        String env = p.environmentFile().isEmpty() ? "" : p.environmentFile().split(",")[0].strip();
        if (env.isEmpty() && !p.workingDir().isEmpty()) {
            for (String candidate : List.of(".env", "mailu.env")) {
                Path f = Path.of(p.workingDir()).resolve(candidate);
                if (Files.isRegularFile(f)) {
                    env = f.toString();
                    break;
                }
            }
        }
        String network = p.networks().contains(name + "_default") ? name + "_default"
                : p.networks().isEmpty() ? "" : p.networks().get(0);
        Map<String, String> found = Map.of("compose-file", p.configFiles().isEmpty() ? "" : p.configFiles().split(",")[0].strip(),
                "env-file", env, "network", network);
        for (InputSpec in : scenario.inputs()) {
            String v = found.getOrDefault(in.name(), "");
            if (!v.isEmpty()) {
                out.put(in.name(), v);
            }
        }
        return out;
    }

    /** A problem verdict whose report was not saved since: leaving asks whether to save it. */
    public boolean reportUnsaved() {
        Diagnosis d = diagnosis;
        return d != null && d.status() == Diagnosis.Status.PROBLEM && !reportSaved;
    }

    /** Runs the tests; blocks (a face runs it off its UI thread). {@code cancelled} stops it at once. */
    public Diagnosis diagnose(Map<String, String> values, RunListener listener, BooleanSupplier cancelled) {
        Map<String, String> inputs = Triage.withDefaults(scenario, resolved(values));
        Map<String, String> problems = Triage.inputProblems(scenario, inputs);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems.values()));
        }
        diagnosis = null;
        plans = List.of();
        events.clear(); // a report holds this diagnosis and what was done after it, not an earlier one's fixes
        // a lab whose start was killed (SIGKILL) is restored before the tests: what it half-broke on
        // the host (a firewall rule, a stopped service) is not the admin's problem to diagnose
        List<String> restored = recoverInterruptedLab();
        // probe leftovers of killed runs are another run's business: swept alongside, not before, the tests
        Triage.Run current = run;
        java.util.concurrent.CompletableFuture<List<String>> sweep =
                java.util.concurrent.CompletableFuture.supplyAsync(current::sweep, dev.triage.concurrent.Workers.io());
        Diagnosis d = current.diagnose(scenario, inputs, budget, listener, cancelled);
        List<String> all = new ArrayList<>(restored);
        try {
            all.addAll(sweep.get(10, java.util.concurrent.TimeUnit.SECONDS));
        } catch (Exception e) {
            // not swept this time: the next run sweeps them
        }
        swept = List.copyOf(all);
        plans = d.verdict() == null ? List.of() : run.plans(scenario, d);
        // The probe containers and networks go now, not at exit: the admin reads the verdict with a clean
        // 'docker ps'. A fix is verified on fresh resources of the next run. After Esc the cleanup is
        // waited for (the abandoned probes are stopped by removing what they created).
        renewRun(cancelled.getAsBoolean());
        reportSaved = false;
        diagnosis = d;
        return d;
    }

    /** Restores a lab whose start was killed; says on the notices what it does and what it could not. */
    private List<String> recoverInterruptedLab() {
        try {
            return labsHere().recoverInterrupted(notices).map(r -> {
                // one notice at the end, whatever the restore said before: the text UI shows the last
                if (!r.restored()) {
                    notices.accept(String.join("; ", r.problemLines()));
                    return List.<String>of();
                }
                notices.accept("lab " + r.lab() + ", whose start was interrupted, is restored");
                return List.of(r.leftover());
            }).orElse(List.of());
        } catch (RuntimeException e) {
            // an unwritable state folder must not stop the diagnosis: say it and go on with the tests
            notices.accept("could not restore a lab whose start was interrupted ("
                    + dev.triage.host.Failures.words(e) + "); run triage lab stop");
            return List.of();
        }
    }

    private synchronized dev.triage.lab.Labs labsHere() {
        if (labs == null) {
            labs = new dev.triage.lab.Labs(triage);
        }
        return labs;
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
        Triage.Run next = run;
        if (wait) {
            old.close();
            next.docker().connectInBackground();
            return;
        }
        // the next run connects once the old one is cleaned up, not alongside (a command that ends
        // after the verdict closes it first and never connects it)
        Thread t = new Thread(() -> {
            old.close();
            next.docker().connectInBackground();
        }, "triage-retire-run");
        t.setDaemon(false);
        t.start();
        synchronized (retiring) {
            retiring.add(t);
        }
    }

    /**
     * How a test of the last diagnosis went, for the marks of a face: its result points at the
     * verdict's problem (failed, or a warning for a warning; see {@link dev.triage.engine.ProblemMarks}),
     * inconclusive, passed, or skipped (not on the path).
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
        if (dev.triage.engine.ProblemMarks.pointsAtProblem(scenario, diagnosis, testId)) {
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

    public Diagnosis diagnosis() {
        return diagnosis;
    }

    public List<FixPlan> plans() {
        return plans;
    }

    /**
     * The fix flow for the last diagnosis (plan, ask, apply, verify, roll back, follow-up): every
     * face drives it the same way; each result goes into this session's report.
     */
    public FixFlow fixFlow() {
        return run.fixFlow(scenario, diagnosis, plans, budget, this::journal);
    }

    private void journal(FixResult r) {
        String id = r.plan() == null ? "" : r.plan().id();
        String what;
        if (r instanceof FixResult.RolledBack b) {
            what = "fix " + id + " rolled back: " + (b.outcome().error() != null ? b.outcome().error()
                    : b.outcome().verification() == null ? "" : b.outcome().verification().summary());
        } else if (r instanceof FixResult.NothingToChange) {
            what = "fix " + id + ": nothing to change";
        } else if (r instanceof FixResult.Applied a) {
            what = "fix " + id + " applied as " + a.journalId() + (a.verified() ? ", verified" : ", not verifiable by triage");
        } else if (r instanceof FixResult.Declined) {
            events.add(new SessionReport.Event("fix " + id + " not applied (declined)", (ObjectNode) null));
            return;
        } else if (r instanceof FixResult.NotApplied n) {
            what = "fix " + id + " not applied: " + n.error();
        } else {
            return; // shown by the face; nothing happened to the system
        }
        events.add(new SessionReport.Event(what, JsonReport.fix(r)));
    }

    /** The diagnosis as one JSON document (the command line's --json, the saved report's base). */
    public ObjectNode reportJson() {
        return JsonReport.diagnosis(scenario, diagnosis, plans, swept, commands());
    }

    /** The builder of the commands this run suggests (its --scenarios folders and --timeout). */
    public dev.triage.report.Commands commands() {
        return new dev.triage.report.Commands(triage.scenarioDirs(), budget.toSeconds());
    }

    /** The command that applies {@code plan} for the last diagnosis, with its inputs: pasteable as is. */
    public String fixCommand(FixPlan plan) {
        return commands().fix(scenario, diagnosis.inputs(), plan.id());
    }

    /** Leftovers of killed runs that the last diagnosis removed alongside its tests. */
    public List<String> swept() {
        return swept;
    }

    public FixRunner.UndoOutcome undo(String journalId, Consumer<String> progress) throws FixException {
        FixRunner.UndoOutcome u = triage.undo(journalId, progress);
        events.add(new SessionReport.Event("undo " + u.journalId() + ": " + u.reverted() + " change(s) reverted"
                + (u.problems().isEmpty() ? "" : "; problems: " + u.problems()), null));
        return u;
    }

    /** The folder triage was started from: plan scripts go there. */
    public Path workDir() {
        return workDir;
    }

    /** Keeps a plan as a shell script in {@link #workDir()}: 0600, not executable, never over a file or a link. */
    public Path savePlanScript(FixPlan plan) throws IOException {
        Path file = workDir.resolve("triage-plan-" + plan.id() + "-" + stamp() + ".sh");
        // 0600 from the start: the diff may hold secrets of a 0600 env file; not executable, to review first
        dev.triage.host.HostFiles.createPrivate(file, PlanScript.of(scenario.id(), diagnosis.verdict().id(), plan)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        events.add(new SessionReport.Event("plan " + plan.id() + " saved as " + file, null));
        return file;
    }

    /** Where reports go unless the admin names another folder: {@code reports/} in the state folder (0700). */
    public Path reportDir() {
        return dev.triage.fix.Journal.defaultDir(triage.env()).resolve("reports").toAbsolutePath();
    }

    /** Saves the report (Markdown and JSON, 0600) in {@link #reportDir()}; returns both paths, to show them. */
    public List<Path> saveReport() throws IOException {
        return saveReport(reportDir());
    }

    /**
     * Saves the report of the last diagnosis and what was done after it (this run only) in
     * {@code dir}; the default folder is made 0700, another one is made if missing. Every face saves here.
     */
    public List<Path> saveReport(Path dir) throws IOException {
        Path target = dir.toAbsolutePath();
        boolean own = target.normalize().equals(reportDir().normalize());
        if (own) {
            dev.triage.host.HostFiles.privateDir(target.getParent()); // the state folder, 0700 as the journal makes it
        }
        List<Path> files = SessionReport.save(target, own, "triage-" + scenario.id() + "-" + stamp(), scenario, diagnosis, plans,
                copyOfEvents(), commands());
        reportSaved = true;
        return files;
    }

    private List<SessionReport.Event> copyOfEvents() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private static String stamp() {
        return LocalDateTime.now(java.time.ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
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
