package dev.triage.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The machine the engine runs on: its files (under a root, "/" except in tests of parsers) and its
 * commands, always run as argument vectors with a time limit, never through a shell.
 */
public class HostSystem {
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin");
    private final Path root;

    public HostSystem(Path root) {
        this.root = root;
    }

    public static HostSystem local() {
        return new HostSystem(Path.of("/"));
    }

    public Path path(String absolute) {
        return root.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
    }

    public boolean exists(String absolute) {
        return Files.exists(path(absolute));
    }

    /** A regular file's text (a /proc file counts), at most {@link HostFiles#MAX_CONFIG}; empty when missing or refused. */
    public Optional<String> read(String absolute) {
        try {
            return Optional.of(new String(HostFiles.read(path(absolute), HostFiles.MAX_CONFIG, "file"), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** First line of a file, trimmed (the form /proc/sys values come in). */
    public Optional<String> readValue(String absolute) {
        return read(absolute).map(s -> s.strip().lines().findFirst().orElse(""));
    }

    /** Finds a program on PATH or in the sbin folders that a non-login root shell may lack. */
    public Optional<String> which(String program) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }

    public CommandResult run(Duration timeout, String... argv) {
        return run(timeout, List.of(argv));
    }

    /** Runs a program; the program name is looked up with {@link #which}. Never throws for a failing command. */
    public CommandResult run(Duration timeout, List<String> argv) {
        long start = System.nanoTime();
        List<String> resolved = new ArrayList<>(argv);
        which(argv.get(0)).ifPresent(p -> resolved.set(0, p));
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(resolved);
            pb.environment().put("LC_ALL", "C"); // stable, parseable messages
            process = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return new CommandResult(argv, -1, "", "cannot run " + argv.get(0) + ": " + e.getMessage(), false, elapsed(start));
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        boolean finished;
        try {
            finished = process.waitFor(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new CommandResult(argv, -1, "", "interrupted", true, elapsed(start));
        }
        if (!finished) {
            process.destroyForcibly();
        }
        String stdout = out.completeOnTimeout("", 500, TimeUnit.MILLISECONDS).join();
        String stderr = err.completeOnTimeout("", 500, TimeUnit.MILLISECONDS).join();
        return new CommandResult(argv, finished ? process.exitValue() : -1, stdout, stderr, !finished, elapsed(start));
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, dev.triage.concurrent.Workers.io());
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
