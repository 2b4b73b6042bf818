package dev.triage.fix;

import org.tinylog.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Temporary files a fix writes next to the file it edits ({@code .mailu.env.<pid>-<start>.<random>.triage-tmp})
 * are renamed over the file a moment later; a run killed in that moment leaves one behind. Their
 * names carry the run's process id and start time, so the next fix or undo removes those of runs
 * that are gone, and never one of a run that is still writing.
 */
final class TempFiles {
    private TempFiles() { }

    static String prefix(Path target) {
        ProcessHandle self = ProcessHandle.current();
        long started = self.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
        return "." + target.getFileName() + "." + self.pid() + "-" + started + ".";
    }

    /** Removes temp files of dead runs next to every file the journal's open entries edit; returns them. */
    static List<Path> sweep(List<Journal.Entry> entries) {
        Set<Path> targets = new LinkedHashSet<>();
        for (Journal.Entry e : entries) {
            if (e.state().open()) {
                for (Journal.Step step : e.steps()) {
                    if (step.action() instanceof FileWrite w) {
                        targets.add(Path.of(w.path()));
                    }
                }
            }
        }
        List<Path> removed = new java.util.ArrayList<>();
        for (Path target : targets) {
            Path dir = target.getParent();
            String start = "." + target.getFileName() + ".";
            if (dir == null || !Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith(start) && name.endsWith(FileWrite.TMP_SUFFIX)
                            && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
                            && deadOwner(name.substring(start.length(), name.length() - FileWrite.TMP_SUFFIX.length()))) {
                        Files.deleteIfExists(f);
                        removed.add(f);
                        Logger.info("removed {}, left by a run that was killed", f);
                    }
                }
            } catch (IOException e) {
                Logger.warn("cannot sweep temporary files in {}: {}", dir, e.getMessage());
            }
        }
        return removed;
    }

    /** For "PID-START.RANDOM": true when that process is gone (or the pid now belongs to another process). */
    static boolean deadOwner(String token) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,10})-(\\d{1,15})\\..*").matcher(token);
        if (!m.matches()) {
            return false; // not a name this code writes: leave it
        }
        long pid = Long.parseLong(m.group(1));
        long started = Long.parseLong(m.group(2));
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 2000).orElse(true))
                .isEmpty();
    }
}
