package dev.triage.probe;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Searches the end of a container's log (any state: an exited container keeps its log) for the
 * messages an incident names. Reads at most {@code tail} lines and stops at its time limit.
 */
public final class ContainerLogsProbe implements Probe<ContainerLogsProbe.Evidence> {
    private static final int MAX_SHOWN = 20;

    public record Evidence(String container, int linesRead, Map<String, Integer> counts, List<String> matches,
                           boolean complete) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("container-logs", Evidence.class)
            .outcomes("matched", "not-matched", "incomplete", "no-container")
            .fine("not-matched")
            .requires("container", "patterns")
            .optional("tail");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        String container = params.get("container");
        List<String> patterns = params.list("patterns");
        if (container.isEmpty()) {
            return ProbeResult.of("no-container", new Evidence("", 0, Map.of(), List.of(), true), "no container to read");
        }
        int tail = params.getInt("tail", 2000);
        StringBuilder text = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (text) {
                    if (text.length() < 4 << 20) { // a few MiB at most, whatever the log holds
                        text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }
        };
        boolean complete;
        try {
            context.docker().client().logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(tail)
                    .exec(callback);
            Duration left = context.remaining(Duration.ofMillis(200));
            complete = callback.awaitCompletion(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (NotFoundException e) {
            return ProbeResult.of("no-container", new Evidence(container, 0, Map.of(), List.of(), true), "container " + container + " is gone");
        } finally {
            callback.close();
        }
        String[] lines;
        synchronized (text) {
            lines = text.isEmpty() ? new String[0] : text.toString().split("\n");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> matches = new ArrayList<>();
        for (String p : patterns) {
            counts.put(p, 0);
        }
        for (String line : lines) {
            for (String p : patterns) {
                if (line.contains(p)) {
                    counts.merge(p, 1, Integer::sum);
                    if (matches.size() < MAX_SHOWN) {
                        matches.add(line.strip());
                    }
                    break;
                }
            }
        }
        boolean any = counts.values().stream().anyMatch(n -> n > 0);
        String read = lines.length + " line(s)" + (complete ? "" : ", cut at the time limit");
        return ProbeResult.of(any ? "matched" : complete ? "not-matched" : "incomplete", new Evidence(container, lines.length, counts, matches, complete),
                container + "'s log (" + read + "): " + (any ? counts.entrySet().stream().filter(x -> x.getValue() > 0)
                        .map(x -> "'" + x.getKey() + "' x" + x.getValue()).reduce((a, b) -> a + ", " + b).orElse("") : "none of " + patterns));
    }
}
