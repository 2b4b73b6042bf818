package dev.triage.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for blocking work (Docker calls, probes, pipes). The common fork-join pool has a single
 * thread on a 2-core board, which would run "parallel" Docker calls one after another.
 */
public final class Workers {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "triage-io-" + COUNT.incrementAndGet());
        t.setDaemon(true); // never keep the JVM alive: a stuck probe must not block exit
        return t;
    });

    private Workers() { }

    public static ExecutorService io() {
        return IO;
    }
}
