package dev.triage.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs test scaffolding commands (docker CLI, iptables, nft) and the packaged triage jar. */
final class Sh {
    record Result(int exit, String out, String err) {
        Result orFail(String what) {
            if (exit != 0) {
                throw new AssertionError(what + " failed (exit " + exit + "): " + err + out);
            }
            return this;
        }
    }

    private Sh() { }

    static Result run(List<String> argv) {
        return run(argv, Map.of(), 60);
    }

    static Result run(String... argv) {
        return run(List.of(argv));
    }

    static Result run(List<String> argv, Map<String, String> env, int timeoutSeconds) {
        Process p = start(argv, env);
        return waitFor(p, timeoutSeconds);
    }

    static Process start(List<String> argv, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k); // null: unset it
            } else {
                pb.environment().put(k, v);
            }
        });
        try {
            return pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + argv + ": " + e.getMessage(), e);
        }
    }

    static Result waitFor(Process p, int timeoutSeconds) {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("command did not finish within " + timeoutSeconds + " s: " + p.info().commandLine().orElse("?"));
            }
            return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The packaged jar, as a user runs it. */
    static List<String> triage(String... args) {
        List<String> argv = new ArrayList<>(List.of(javaBin(), "-jar", jar()));
        argv.addAll(List.of(args));
        return argv;
    }

    static String jar() {
        String jar = System.getProperty("triage.jar", "target/triage.jar");
        if (!new java.io.File(jar).isFile()) {
            throw new AssertionError(jar + " is missing: run 'mvn verify' (integration tests need the packaged jar)");
        }
        return jar;
    }

    static String javaBin() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
