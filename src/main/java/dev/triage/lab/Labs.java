package dev.triage.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.triage.app.Triage;
import dev.triage.docker.DockerSession;
import dev.triage.docker.EngineConnector;
import dev.triage.docker.EngineUnreachableException;
import dev.triage.docker.RunIdentity;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.RunListener;
import dev.triage.fix.FixException;
import dev.triage.fix.FixRunner;
import dev.triage.fix.Journal;
import dev.triage.host.HostSystem;
import dev.triage.scenario.Scenario;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Training labs, for every face: list them with what each needs, start one (build and break its
 * sandbox), give the next hint, check the trainee's answer and repair, and stop (restore). One lab
 * runs at a time per state folder.
 */
public final class Labs {
    private static final Duration DIAGNOSE_BUDGET = Duration.ofSeconds(90);
    private final Triage triage;
    private final Map<String, String> env;
    private final HostSystem host;
    private volatile LabRepository labs;

    /** The labs of the composition root: its environment (state folder, DOCKER_HOST), scenarios and host. */
    public Labs(Triage triage) {
        this.triage = triage;
        this.env = triage.env();
        this.host = triage.host();
    }

    public synchronized LabRepository repository() {
        if (labs == null) {
            labs = LabRepository.load(triage.scenarios());
        }
        return labs;
    }

    public Path stateDir() {
        return Journal.defaultDir(env);
    }

    public Optional<LabState> current() {
        return LabState.read(stateDir());
    }

    /** What the lab needs that this machine lacks, in words; empty when it can run here. */
    public List<String> missing(Lab lab) {
        List<String> missing = new ArrayList<>();
        DockerClient client = null;
        String engineProblem = null;
        try (DockerSession session = session()) {
            for (Lab.Need need : lab.needs()) {
                boolean present = switch (need) {
                    case ROOT -> isRoot();
                    case HAPROXY -> host.which("haproxy").isPresent();
                    case OPENSSL -> host.which("openssl").isPresent();
                    case IPTABLES -> host.which("iptables").isPresent();
                    case IPROUTE -> host.which("ip").isPresent();
                    case PROBE_IMAGE, MAIL_TEST_IMAGE -> {
                        if (client == null && engineProblem == null) {
                            try {
                                client = session.client();
                            } catch (EngineUnreachableException e) {
                                engineProblem = "a Docker engine that answers (" + e.getMessage() + ")";
                            }
                        }
                        yield client != null && imagePresent(client, need == Lab.Need.PROBE_IMAGE ? "redis:7.2-alpine" : "triage-it/dms-like:13");
                    }
                };
                if (!present) {
                    missing.add(engineProblem != null && (need == Lab.Need.PROBE_IMAGE || need == Lab.Need.MAIL_TEST_IMAGE)
                            ? engineProblem : need.words());
                }
            }
        }
        return missing.stream().distinct().toList();
    }

    private static boolean imagePresent(DockerClient client, String image) {
        try {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (Exception e) {
            return false;
        }
    }

    private DockerSession session() {
        return new DockerSession(new EngineConnector(env, Duration.ofSeconds(3)), RunIdentity.current());
    }

    /** The started lab: its state (inputs filled in) and the lab. */
    public record Started(Lab lab, LabState state) { }

    /**
     * Builds and breaks the lab's sandbox. Ctrl-C, SIGHUP or SIGTERM while it is built restore
     * everything built so far; a SIGKILL leaves the state in "starting", which the next run restores.
     */
    public Started start(String id, Consumer<String> progress) throws LabException {
        Lab lab = lab(id);
        Optional<Recovery> recovered = recoverInterrupted(progress);
        if (recovered.isPresent() && !recovered.get().restored()) {
            throw new LabException(String.join("; ", recovered.get().problemLines()));
        }
        Optional<LabState> running = current();
        if (running.isPresent()) {
            throw new LabException("lab " + running.get().lab + " is running since " + running.get().startedAt
                    + "; stop it first (triage lab stop)");
        }
        List<String> missing = missing(lab);
        if (!missing.isEmpty()) {
            throw new LabException("lab " + id + " needs " + String.join("; ", missing));
        }
        LabState state = new LabState();
        state.lab = lab.id();
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        state.token = HexFormat.of().formatHex(random);
        state.startedAt = Instant.now().toString();
        state.ownedByThisProcess();
        state.before = Collateral.take(host);
        state.save(stateDir());
        try (DockerSession session = session()) {
            DockerClient client;
            try {
                client = session.client();
            } catch (EngineUnreachableException e) {
                LabState.delete(stateDir());
                throw new LabException("the Docker engine does not answer: " + e.getMessage());
            }
            Sandbox sandbox = new Sandbox(client, host, stateDir(), state, progress);
            Thread hook = new Thread(() -> {
                synchronized (state) {
                    if (!"starting".equals(state.phase)) {
                        return;
                    }
                    state.phase = "stopping";
                }
                progress.accept("interrupted: restoring what the lab built so far");
                state.save(stateDir());
                if (sandbox.haltAndRestore().isEmpty()) {
                    LabState.delete(stateDir());
                }
            }, "triage-lab-restore");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                sandbox.build(lab);
                Map<String, String> inputs = new LinkedHashMap<>();
                lab.inputs().forEach((k, v) -> inputs.put(k, sandbox.resolve(v)));
                state.inputs = inputs;
                synchronized (state) {
                    if (!"starting".equals(state.phase)) {
                        awaitRestore(hook);
                        throw new LabException("interrupted");
                    }
                    state.phase = "running";
                    state.save(stateDir());
                }
            } catch (LabException | RuntimeException e) {
                boolean signalled;
                synchronized (state) {
                    signalled = !"starting".equals(state.phase);
                }
                if (signalled) {
                    awaitRestore(hook); // the restore needs this session's engine connection: keep it open until done
                    throw new LabException("interrupted; the lab was restored");
                }
                state.phase = "stopping";
                state.save(stateDir());
                List<String> problems = sandbox.restore();
                LabState.delete(stateDir());
                throw new LabException("lab " + id + " could not be started: " + e.getMessage()
                        + (problems.isEmpty() ? " (everything it built was restored)" : "; not restored: " + String.join("; ", problems)));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down: the hook restores
                }
            }
        }
        return new Started(lab, state);
    }

    /** Waits for the signal's restore, which uses the engine connection this start would close. */
    private static void awaitRestore(Thread hook) {
        try {
            hook.join(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Lab lab(String id) throws LabException {
        Lab lab = repository().get(id);
        if (lab == null) {
            throw new LabException("unknown lab '" + id + "'; known: " + String.join(", ", repository().labs().keySet())
                    + " (triage lab list)");
        }
        return lab;
    }

    private LabState running() throws LabException {
        LabState state = current().orElseThrow(() -> new LabException("no lab is running (triage lab start LAB)"));
        if (!"running".equals(state.phase)) {
            throw new LabException("lab " + state.lab + " is " + state.phase + "; wait, or run triage lab stop");
        }
        return state;
    }

    /** The causes a trainee may pick from: the running lab's scenario's verdicts that are problems. */
    public List<dev.triage.scenario.Verdict> causes() {
        Optional<LabState> state = current();
        Lab lab = state.map(s -> repository().get(s.lab)).orElse(null);
        Scenario scenario = lab == null ? null : triage.scenarios().get(lab.scenario());
        return scenario == null ? List.of() : scenario.verdicts().values().stream()
                .filter(v -> !v.healthy() && !v.inconclusive()).toList();
    }

    /** The next hint of the ladder, counted; after the last one, the last again. */
    public record Hint(int number, int of, String text) { }

    public Hint hint() throws LabException {
        LabState state = running();
        Lab lab = lab(state.lab);
        int index = Math.min(state.hintsUsed, lab.hints().size() - 1);
        state.hintsUsed = Math.min(state.hintsUsed + 1, lab.hints().size());
        state.save(stateDir());
        return new Hint(index + 1, lab.hints().size(), lab.hints().get(index));
    }

    /** {@code verdictNow} is null when the re-run was inconclusive; {@code why} then says why. */
    public record Check(String lab, String answer, Boolean answerCorrect, String expected, boolean fixed, String verdictNow,
                        String why, List<String> collateral, int hintsUsed, long seconds) { }

    /**
     * Grades the answer (a verdict id), re-runs the lab's scenario on the sandbox (fixed: healthy),
     * and lists changes outside the sandbox since the start. Containers made from the lab's compose
     * file are recreated from it first, as {@code docker compose up -d} would.
     */
    public Check check(String answer, Consumer<String> progress) throws LabException {
        LabState state = running();
        Lab lab = lab(state.lab);
        Scenario scenario = triage.scenarios().get(lab.scenario());
        if (answer != null && !scenario.verdicts().containsKey(answer)) {
            throw new LabException("'" + answer + "' is not a verdict of " + lab.scenario() + "; known: "
                    + String.join(", ", scenario.verdicts().keySet()));
        }
        try (Triage.Run run = triage.openRun(progress)) {
            DockerClient client;
            try {
                client = run.docker().client();
            } catch (EngineUnreachableException e) {
                throw new LabException("the Docker engine does not answer: " + e.getMessage());
            }
            Sandbox sandbox = new Sandbox(client, host, stateDir(), state, progress);
            for (Lab.Step step : lab.sandbox()) {
                if (step.kind() == StepKind.CONTAINER && step.text("compose") != null) {
                    progress.accept("recreating " + step.name() + " from its compose file (as docker compose up -d would)");
                    sandbox.container(lab, step, true);
                }
            }
            Diagnosis d = run.diagnose(scenario, Triage.withDefaults(scenario, state.inputs), DIAGNOSE_BUDGET, new RunListener() { });
            boolean fixed = d.status() == Diagnosis.Status.HEALTHY;
            List<String> collateral = Collateral.changes(state.before, Collateral.take(host), Sandbox.sandboxNames(state));
            long seconds = Duration.between(Instant.parse(state.startedAt), Instant.now()).toSeconds();
            return new Check(lab.id(), answer, answer == null ? null : answer.equals(lab.verdict()), lab.verdict(), fixed,
                    d.verdict() == null ? null : d.verdict().id(), d.verdict() == null || d.verdict().inconclusive()
                            ? d.inconclusiveReason() : null, collateral, state.hintsUsed, seconds);
        }
    }

    /** Restores everything: the lab's fixes taken back from the journal, then the sandbox. Returns what could not be restored. */
    public List<String> stop(Consumer<String> progress) throws LabException {
        LabState state = current().orElseThrow(() -> new LabException("no lab is running"));
        return stop(state, progress);
    }

    private List<String> stop(LabState state, Consumer<String> progress) {
        state.phase = "stopping";
        // this process owns it now: another run sees a live owner and leaves it alone, instead of
        // restoring it a second time alongside (and rewriting the state after it was deleted)
        state.ownedByThisProcess();
        state.save(stateDir());
        List<String> problems = new ArrayList<>(undoFixes(state, progress));
        try (DockerSession session = session()) {
            DockerClient client;
            try {
                client = session.client();
            } catch (EngineUnreachableException e) {
                problems.add("the Docker engine does not answer (" + e.getMessage() + "); run triage lab stop again when it does");
                return releaseForTheNextTry(state, problems);
            }
            problems.addAll(new Sandbox(client, host, stateDir(), state, progress).restore());
        }
        if (problems.isEmpty()) {
            LabState.delete(stateDir());
            return problems;
        }
        return releaseForTheNextTry(state, problems);
    }

    /** Half taken down: nobody owns it now, so the next run (this one's next diagnosis too) tries again. */
    private List<String> releaseForTheNextTry(LabState state, List<String> problems) {
        state.pid = 0;
        state.pidStarted = 0;
        state.save(stateDir());
        return problems;
    }

    /** Fixes applied to the lab's scenario since it started, taken back newest first, byte for byte. */
    private List<String> undoFixes(LabState state, Consumer<String> progress) {
        List<String> problems = new ArrayList<>();
        Lab lab = repository().get(state.lab);
        if (lab == null) {
            return problems;
        }
        Journal journal = new Journal(stateDir());
        try {
            List<Journal.Entry> entries = new ArrayList<>(journal.entries());
            java.util.Collections.reverse(entries);
            for (Journal.Entry e : entries) {
                boolean reversible = e.steps().stream().anyMatch(s -> s.action().reversible());
                if (e.scenario().equals(lab.scenario()) && reversible && !e.appliedAt().isEmpty()
                        && Instant.parse(e.appliedAt()).isAfter(Instant.parse(state.startedAt))
                        && (e.state().equals("applied") || e.state().equals("applying") || e.state().equals("undo-incomplete"))) {
                    progress.accept("undoing fix " + e.id());
                    FixRunner.UndoOutcome o = new FixRunner(journal, host).undo(e.id(), progress);
                    problems.addAll(o.problems());
                }
            }
        } catch (FixException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** A half-built lab found and restored (problems empty) or not (its state is kept for the next try). */
    public record Recovery(String lab, List<String> problems) {
        public boolean restored() {
            return problems.isEmpty();
        }

        /** What is left to say when it could not be restored: one line per problem. */
        public List<String> problemLines() {
            return problems.stream().map(p -> "lab " + lab + " is still half-built: " + p).toList();
        }

        /** How a run's report lists it among the leftovers it removed. */
        public String leftover() {
            return "lab " + lab + " (interrupted start)";
        }
    }

    /**
     * A lab whose start (or stop) was killed (SIGKILL, power loss): its process is gone and its
     * state says it was half-built. Restores it. Cheap when there is none.
     */
    public Optional<Recovery> recoverInterrupted(Consumer<String> progress) {
        Optional<LabState> state;
        try {
            state = current();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (state.isEmpty() || "running".equals(state.get().phase) || !state.get().starterGone()) {
            return Optional.empty();
        }
        progress.accept("restoring lab " + state.get().lab + ", whose start was interrupted");
        return Optional.of(new Recovery(state.get().lab, List.copyOf(stop(state.get(), progress))));
    }
}
