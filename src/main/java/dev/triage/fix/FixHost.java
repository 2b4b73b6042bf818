package dev.triage.fix;

import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;
import org.tinylog.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What actions act on: the host, a folder for this fix's backups, containers, and a logged command runner. */
public record FixHost(HostSystem system, Path backupDir, ContainerControl containers) {

    public FixHost(HostSystem system, Path backupDir) {
        this(system, backupDir, ContainerControl.NONE);
    }

    static final Duration COMMAND_LIMIT = Duration.ofSeconds(20);

    /** Runs a command and fails with its own error text when it fails. */
    CommandResult run(List<String> argv) throws FixException {
        return run(argv, COMMAND_LIMIT);
    }

    CommandResult run(List<String> argv, Duration limit) throws FixException {
        CommandResult r = system.run(limit, argv);
        Logger.info("fix command: {} -> exit {} {}", r.commandLine(), r.exitCode(), r.stderr().strip());
        if (!r.ok()) {
            throw new FixException(r.commandLine() + " failed" + (r.timedOut() ? " (timed out)" : " (exit " + r.exitCode() + ")")
                    + ": " + (r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip()));
        }
        return r;
    }

    /** Runs a check: true when the command exits 0. */
    boolean check(List<String> argv) {
        return system.run(COMMAND_LIMIT, argv).ok();
    }
}
