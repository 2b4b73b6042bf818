package dev.triage.engine;

import dev.triage.concurrent.Workers;
import dev.triage.docker.DockerSession;
import dev.triage.host.HostSystem;
import dev.triage.probe.Probe;
import dev.triage.probe.ProbeContext;
import dev.triage.probe.ProbeParams;
import dev.triage.probe.ProbeRegistry;
import dev.triage.probe.ProbeResult;
import dev.triage.probe.ProbeSpec;
import dev.triage.scenario.Scenario;
import dev.triage.scenario.TestNode;
import dev.triage.scenario.Verdict;
import org.tinylog.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Walks a scenario's tree: runs a test, follows the branch of its outcome, until a verdict. Tests
 * marked {@code prefetch} start at once, in parallel, and are picked up when the walk reaches
 * them. Every test runs under its own time limit and the run's budget; one that cannot finish or
 * fails becomes "inconclusive" with the reason, never a hang. The engine itself changes nothing.
 */
public final class DecisionEngine {
    private static final Duration GRACE = Duration.ofMillis(300);
    /** The reason a walk stopped when the user cancelled it. */
    public static final String CANCELLED = "cancelled by the user; probes stopped and cleaned up";
    /** Why a test that was running when the walk was cancelled has no outcome. */
    public static final String STOPPED = "stopped before it finished (the run was cancelled)";
    private static final java.util.regex.Pattern EVIDENCE_REF = java.util.regex.Pattern.compile("\\$\\{(?!input\\.)");
    private final ProbeRegistry probes;
    private final int timeScale;

    public DecisionEngine(ProbeRegistry probes) {
        this(probes, 1);
    }

    /**
     * {@code timeScale} multiplies every test's time limit: for a machine that runs the JVM far
     * slower than the scenarios assume (an emulator such as qemu-user, a very slow board).
     */
    public DecisionEngine(ProbeRegistry probes, int timeScale) {
        if (timeScale < 1) {
            throw new IllegalArgumentException("time scale " + timeScale + " < 1");
        }
        this.probes = probes;
        this.timeScale = timeScale;
    }

    private Duration limitOf(TestNode test) {
        return test.timeout().multipliedBy(timeScale);
    }

    /** Where tests run: the run's Docker session and the host. */
    public record Environment(DockerSession docker, HostSystem host) { }

    public Diagnosis diagnose(Scenario scenario, Map<String, String> inputs, Environment env, Duration budget,
                              RunListener listener) {
        return diagnose(scenario, inputs, env, budget, listener, () -> false);
    }

    /**
     * As above; {@code cancelled} (the wizard's Esc) stops the walk at once: the running test is
     * abandoned like one past its limit, and the diagnosis ends inconclusive, "cancelled".
     */
    public Diagnosis diagnose(Scenario scenario, Map<String, String> inputs, Environment env, Duration budget,
                              RunListener listener, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        Instant deadline = Instant.now().plus(budget);
        Map<String, Future<StepResult>> prefetched = new HashMap<>();
        for (TestNode test : scenario.tests().values()) {
            if (test.prefetch() && !dependsOnEvidence(test)) {
                prefetched.put(test.id(), Workers.io().submit(() -> execute(test, inputs, Map.of(), env, deadline, cancelled)));
            }
        }
        List<StepResult> steps = new ArrayList<>();
        Map<String, Map<String, Object>> evidence = new LinkedHashMap<>();
        String node = scenario.start();
        try {
            while (true) {
                Verdict verdict = scenario.verdicts().get(node);
                if (verdict != null) {
                    String explanation = Placeholders.renderProse(verdict.explanation(), inputs, evidence, scenario.words()).strip();
                    return new Diagnosis(scenario.id(), inputs, steps, verdict, explanation, null, elapsed(start));
                }
                TestNode test = scenario.tests().get(node);
                if (cancelled.getAsBoolean()) {
                    return new Diagnosis(scenario.id(), inputs, steps, null, null, CANCELLED, elapsed(start));
                }
                listener.testStarted(byHand(test, inputs, evidence));
                Future<StepResult> early = prefetched.remove(test.id());
                StepResult result = early != null ? await(test, early, cancelled)
                        : execute(test, inputs, evidence, env, deadline, cancelled);
                if (cancelled.getAsBoolean()) {
                    listener.testFinished(byHand(test, inputs, evidence), result);
                    return new Diagnosis(scenario.id(), inputs, steps, null, null, CANCELLED, elapsed(start));
                }
                String next = result.inconclusive() ? test.next().get(ProbeResult.INCONCLUSIVE) : test.nextFor(result.outcome());
                result = withNext(result, next);
                steps.add(result);
                evidence.put(test.id(), result.fields());
                listener.testFinished(byHand(test, inputs, evidence), result);
                if (next == null) {
                    String reason = result.inconclusive()
                            ? "test '" + test.id() + "' could not run: " + result.error()
                            : "test '" + test.id() + "' ended in '" + result.outcome() + "', which the scenario does not map";
                    return new Diagnosis(scenario.id(), inputs, steps, null, null, reason, elapsed(start));
                }
                node = next;
            }
        } finally {
            prefetched.values().forEach(f -> f.cancel(false));
        }
    }

    /**
     * The test as a listener hears it: its by-hand commands with this run's values (inputs and the
     * evidence so far), only those whose condition holds here.
     */
    public static TestNode byHand(TestNode test, Map<String, String> inputs, Map<String, Map<String, Object>> evidence) {
        List<TestNode.Manual> commands = new ArrayList<>();
        for (TestNode.Manual m : test.manual()) {
            if (m.ifSet() != null && !Placeholders.isSet(m.ifSet(), inputs, evidence)
                    || m.ifUnset() != null && Placeholders.isSet(m.ifUnset(), inputs, evidence)) {
                continue;
            }
            commands.add(TestNode.Manual.of(Placeholders.renderByHand(m.run(), inputs, evidence)));
        }
        return test.withManual(commands);
    }

    /**
     * Runs one test on its own (fix verification), with placeholders resolved against the evidence
     * of an earlier diagnosis.
     */
    public StepResult runTest(TestNode test, Map<String, String> inputs, Map<String, Map<String, Object>> evidence,
                              Environment env, Duration budget) {
        return execute(test, inputs, evidence, env, Instant.now().plus(budget), () -> false);
    }

    private StepResult execute(TestNode test, Map<String, String> inputs, Map<String, Map<String, Object>> evidence,
                               Environment env, Instant runDeadline, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        Probe<?> probe = probes.forTest(test).orElse(null);
        if (probe == null) {
            return inconclusive(test, start, "unknown probe kind '" + test.probe() + "'");
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        try {
            for (var e : test.params().entrySet()) {
                resolved.put(e.getKey(), Placeholders.resolve(e.getValue(), inputs, evidence));
            }
        } catch (Placeholders.UnresolvedException e) {
            return inconclusive(test, start, e.getMessage());
        }
        Instant testDeadline = Instant.now().plus(limitOf(test));
        Instant deadline = testDeadline.isBefore(runDeadline) ? testDeadline : runDeadline;
        if (!deadline.isAfter(Instant.now())) {
            return inconclusive(test, start, "the run's time budget was spent before this test");
        }
        ProbeContext context = new ProbeContext(env.docker(), env.host(), deadline);
        Future<ProbeResult<?>> future = Workers.io().submit(() -> probe.run(new ProbeParams(resolved), context));
        try {
            ProbeResult<?> r = waitFor(future, deadline.plus(GRACE), cancelled);
            // a switch repeats the outcome of a test that was checked when it ran
            ProbeSpec<?> spec = probe.spec();
            if (!TestNode.SWITCH_PROBE.equals(spec.kind()) && !spec.outcomes().contains(r.outcome())) {
                // a probe that ends in an outcome it does not declare is a bug: never walk the tree on it
                String why = "probe '" + spec.kind() + "' ended in '" + r.outcome() + "', which it does not declare (it declares "
                        + String.join(", ", new java.util.TreeSet<>(spec.outcomes())) + "): a bug in triage, please report it";
                Logger.error("test {}: {}", test.id(), why);
                return inconclusive(test, start, why);
            }
            return new StepResult(test.id(), test.title(), test.probe(), r.outcome(), elapsed(start), r.summary(),
                    r.evidence(), null, null, r.warnings());
        } catch (TimeoutException e) {
            future.cancel(false); // no interrupt: a Docker call cut mid-request may still complete on the daemon
            if (cancelled.getAsBoolean()) {
                return inconclusive(test, start, STOPPED);
            }
            return inconclusive(test, start, "did not finish within " + Duration.between(Instant.now().minusNanos(System.nanoTime() - start), deadline).toMillis()
                    + " ms (its time limit)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            Logger.warn(cause, "test {} failed", test.id());
            return inconclusive(test, start, message(cause));
        } catch (InterruptedException e) {
            future.cancel(false); // no interrupt: a Docker call cut mid-request may still complete on the daemon
            Thread.currentThread().interrupt();
            return inconclusive(test, start, "interrupted");
        }
    }

    /** Waits in short slices so that a cancel is seen within 100 ms; past the deadline it times out. */
    private static <T> T waitFor(Future<T> future, Instant until, BooleanSupplier cancelled)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long left = Duration.between(Instant.now(), until).toMillis();
            if (left <= 0 || cancelled.getAsBoolean()) {
                throw new TimeoutException();
            }
            try {
                return future.get(Math.min(100, left), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // next slice
            }
        }
    }

    private StepResult await(TestNode test, Future<StepResult> early, BooleanSupplier cancelled) {
        try {
            return waitFor(early, Instant.now().plus(limitOf(test).plus(GRACE)), cancelled);
        } catch (TimeoutException e) {
            return inconclusive(test, System.nanoTime(), cancelled.getAsBoolean() ? STOPPED
                    : "did not finish within " + limitOf(test).toMillis() + " ms (its time limit)");
        } catch (ExecutionException e) {
            return inconclusive(test, System.nanoTime(), message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inconclusive(test, System.nanoTime(), "interrupted");
        }
    }

    private static boolean dependsOnEvidence(TestNode test) {
        return test.params().values().stream().map(String::valueOf).anyMatch(v -> EVIDENCE_REF.matcher(v).find());
    }

    private static StepResult inconclusive(TestNode test, long start, String why) {
        return new StepResult(test.id(), test.title(), test.probe(), ProbeResult.INCONCLUSIVE, elapsed(start),
                "could not run: " + why, null, why, null);
    }

    private static StepResult withNext(StepResult r, String next) {
        return new StepResult(r.test(), r.title(), r.probe(), r.outcome(), r.millis(), r.summary(), r.evidence(), r.error(), next,
                r.warnings());
    }

    static String message(Throwable e) {
        return dev.triage.host.Failures.words(e);
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
