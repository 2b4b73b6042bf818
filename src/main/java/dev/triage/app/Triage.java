package dev.triage.app;

import dev.triage.docker.DockerSession;
import dev.triage.docker.EngineConnector;
import dev.triage.docker.RunIdentity;
import dev.triage.engine.DecisionEngine;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.fix.ActionFactory;
import dev.triage.fix.FixException;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixPlanner;
import dev.triage.fix.FixRunner;
import dev.triage.fix.Journal;
import dev.triage.host.HostSystem;
import dev.triage.probe.ProbeRegistry;
import dev.triage.scenario.InputSpec;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.ScenarioRepository;
import dev.triage.scenario.TestNode;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the faces (command line, text UI) do, in one place: load scenarios, check inputs,
 * diagnose, plan, apply, verify and undo fixes. A face only asks and shows.
 */
public final class Triage {
    private final Map<String, String> env;
    private final ProbeRegistry probes = ProbeRegistry.standard();
    private final Catalog catalog = new Catalog(probes);
    private final List<Path> scenarioDirs;
    private volatile ScenarioRepository scenarios;
    /** Single bundled scenarios read for a run of one of them (see scenariosFor). */
    private final Map<String, ScenarioRepository> single = new java.util.HashMap<>();
    /** The composition root: the one host and the one /etc every probe and fix of this process uses. */
    private final HostSystem host = HostSystem.local();
    private final Path etc = Path.of("/etc");

    public Triage(Map<String, String> env, List<Path> scenarioDirs) {
        this.env = env;
        this.scenarioDirs = List.copyOf(scenarioDirs);
    }

    /** Loaded on first use, so a run can start reaching the engine meanwhile. */
    public synchronized ScenarioRepository scenarios() {
        if (scenarios == null) {
            scenarios = ScenarioRepository.load(catalog, scenarioDirs);
        }
        return scenarios;
    }

    /**
     * What a run of the scenario {@code id} needs: without --scenarios folders, only its bundled
     * file is read and validated (bundled files are named after their ids), unless every scenario
     * is loaded already; otherwise, or when that file is not the scenario, all of them, which tells
     * an unknown id, a collision or a broken file.
     */
    public synchronized ScenarioRepository scenariosFor(String id) {
        if (scenarios == null && scenarioDirs.isEmpty()) {
            ScenarioRepository one = single.get(id);
            if (one == null) {
                one = ScenarioRepository.loadBundled(catalog, id).orElse(null);
            }
            if (one != null) {
                single.put(id, one);
                return one;
            }
        }
        return scenarios();
    }

    public Catalog catalog() { return catalog; }

    /** The --scenarios folders of this run, as given. */
    public List<Path> scenarioDirs() { return scenarioDirs; }

    /** The environment this run was started with (state folder, DOCKER_HOST). */
    public Map<String, String> env() { return env; }

    public Journal journal() { return new Journal(Journal.defaultDir(env)); }

    /** The one host of this process (see the field): the labs build, break, watch and restore it. */
    public HostSystem host() { return host; }

    /** Every declared input, given or defaulted. */
    public static Map<String, String> withDefaults(Scenario scenario, Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        for (InputSpec spec : scenario.inputs()) {
            values.put(spec.name(), given.getOrDefault(spec.name(), spec.defaultValue()));
        }
        return values;
    }

    /** What is wrong with each input, by input name (a form shows each next to its field). */
    public static Map<String, String> inputProblems(Scenario scenario, Map<String, String> values) {
        Map<String, String> problems = new LinkedHashMap<>();
        for (InputSpec spec : scenario.inputs()) {
            String problem = spec.check(values.getOrDefault(spec.name(), ""));
            if (problem != null) {
                problems.put(spec.name(), problem);
            }
        }
        for (InputSpec spec : scenario.inputs()) {
            if (!values.getOrDefault(spec.name(), "").isEmpty()) {
                for (String needed : spec.requires()) {
                    if (values.getOrDefault(needed, "").isEmpty()) {
                        problems.putIfAbsent(needed, spec.name() + " needs " + needed + " too (--set " + needed + "=...)");
                    }
                }
            }
        }
        return problems;
    }

    /** A run: one Docker session cleaned up at close and by a shutdown hook (Ctrl-C, SIGHUP, SIGTERM). */
    public Run openRun(Consumer<String> notices) {
        return new Run(notices);
    }

    public FixRunner.UndoOutcome undo(String id, Consumer<String> progress) throws FixException {
        return new FixRunner(journal(), host).undo(id, progress);
    }

    /** The most TRIAGE_TIME_SCALE may be: even qemu on a busy machine needed less. */
    static final int MAX_TIME_SCALE = 20;

    /**
     * TRIAGE_TIME_SCALE=N (1..20) multiplies the tests' time limits and the engine's answer limit:
     * for a JVM that runs far slower than on a PC (qemu-user, a very slow board). Anything else is
     * named in a notice and the scenarios' own limits apply.
     */
    static int timeScale(Map<String, String> env, Consumer<String> notices) {
        String v = env.get("TRIAGE_TIME_SCALE");
        if (v == null || v.isBlank()) {
            return 1;
        }
        if (v.strip().matches("\\d{1,2}")) {
            int n = Integer.parseInt(v.strip());
            if (n >= 1 && n <= MAX_TIME_SCALE) {
                return n;
            }
        }
        notices.accept("TRIAGE_TIME_SCALE must be a whole number from 1 to " + MAX_TIME_SCALE
                + " (it multiplies the tests' time limits); ignored, the scenarios' own limits apply");
        return 1;
    }

    /**
     * Starts reaching the engine before the command line is parsed, with the settings a run of this
     * environment will use (its first connection takes it): start-up time.
     */
    public static void connectEarly(Map<String, String> env) {
        EngineConnector.startEarly(env, Duration.ofSeconds(3).multipliedBy(timeScale(env, notice -> { })));
        // the log's set-up (configuration, file writer), which the run's first line would do on the main thread
        dev.triage.concurrent.Workers.io().submit(Logger::isInfoEnabled);
    }

    public final class Run implements AutoCloseable {
        private final DockerSession docker;
        private final Thread hook;
        private final DecisionEngine engine;
        private boolean applying;
        private volatile boolean stopping;

        private Run(Consumer<String> notices) {
            int scale = timeScale(env, notices);
            this.engine = new DecisionEngine(probes, scale);
            this.docker = new DockerSession(new EngineConnector(env, Duration.ofSeconds(3).multipliedBy(scale)), RunIdentity.current());
            this.hook = new Thread(() -> {
                stopping = true;
                synchronized (this) {
                    if (applying) {
                        // let the fix stop between two actions and roll back, journaled, before the JVM ends
                        notices.accept("interrupted while applying a fix: rolling back what was applied");
                        long until = System.currentTimeMillis() + 60_000;
                        while (applying && System.currentTimeMillis() < until) {
                            try {
                                wait(Math.max(1, until - System.currentTimeMillis()));
                            } catch (InterruptedException e) {
                                break;
                            }
                        }
                    }
                }
                notices.accept("stopping: removing this run's probe containers and networks");
                docker.close();
            }, "triage-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        public DockerSession docker() { return docker; }

        /** Removes leftovers of killed runs; returns what was removed. Cheap when there are none. */
        public List<String> sweep() {
            return docker.sweepLeftovers();
        }

        public Diagnosis diagnose(Scenario scenario, Map<String, String> inputs, Duration budget, RunListener listener) {
            return diagnose(scenario, inputs, budget, listener, () -> false);
        }

        /** As above, stopped at once when {@code cancelled} turns true (the wizard's Esc). */
        public Diagnosis diagnose(Scenario scenario, Map<String, String> inputs, Duration budget, RunListener listener,
                                  java.util.function.BooleanSupplier cancelled) {
            Logger.info("diagnose {} inputs={}", scenario.id(), inputs);
            Diagnosis d = engine.diagnose(scenario, inputs, new DecisionEngine.Environment(docker, host), budget, listener,
                    () -> cancelled.getAsBoolean() || stopping);
            Logger.info("diagnosis {}: {}", scenario.id(), d.verdict() == null ? "inconclusive: " + d.inconclusiveReason() : d.verdict().id());
            return d;
        }

        public List<FixPlan> plans(Scenario scenario, Diagnosis diagnosis) {
            return new FixPlanner(new ActionFactory(etc, host)).plans(scenario, diagnosis);
        }

        /** Applies a confirmed plan; its verification re-runs a test on fresh probe resources. */
        public FixRunner.Outcome apply(Scenario scenario, Diagnosis diagnosis, FixPlan plan, Duration budget,
                                       Consumer<String> progress) throws FixException {
            dev.triage.docker.ContainerRestarts restarts = new dev.triage.docker.ContainerRestarts(docker);
            FixRunner runner = new FixRunner(journal(), host, (container, limit) -> {
                try {
                    return restarts.restart(container, limit);
                } catch (dev.triage.docker.ContainerRestarts.RestartFailed e) {
                    throw new FixException(e.getMessage());
                }
            });
            synchronized (this) {
                if (stopping) {
                    throw new FixException("interrupted before the fix started; nothing was changed");
                }
                applying = true;
            }
            try {
                return runner.apply(scenario.id(), diagnosis.verdict().id(), plan, spec -> {
                    TestNode test = scenario.tests().get(spec.test());
                    return engine.runTest(test, diagnosis.inputs(), diagnosis.evidence(),
                            new DecisionEngine.Environment(docker.fresh(), host), budget);
                }, progress, () -> stopping);
            } finally {
                synchronized (this) {
                    applying = false;
                    notifyAll();
                }
            }
        }

        /**
         * The fix flow over this run's plans for the diagnosis; each apply verifies within half the
         * budget (at least 10 s). {@code journal} hears every result.
         */
        public dev.triage.fix.flow.FixFlow fixFlow(Scenario scenario, Diagnosis diagnosis, List<FixPlan> plans, Duration budget,
                                                   Consumer<dev.triage.fix.flow.FixResult> journal) {
            Duration verifyBudget = Duration.ofSeconds(Math.max(10, budget.toSeconds() / 2));
            return new dev.triage.fix.flow.FixFlow(diagnosis, plans,
                    (plan, progress) -> apply(scenario, diagnosis, plan, verifyBudget, progress), journal);
        }

        @Override
        public void close() {
            docker.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (or ran) the same cleanup
            }
        }
    }

    /** For listing: what a scenario asks for, in one line each. */
    public static List<String> describeInputs(Scenario s) {
        List<String> out = new ArrayList<>();
        for (InputSpec i : s.inputs()) {
            out.add(i.name() + (i.required() ? " (required)" : i.defaultValue().isEmpty() ? "" : " [default " + i.defaultValue() + "]")
                    + ": " + i.prompt());
        }
        return out;
    }
}
