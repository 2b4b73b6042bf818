package dev.triage.fix;

import dev.triage.host.HostSystem;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Restarts a service through the init system found when the fix was planned, so the preview shows
 * the one command that runs. Cannot be undone (and need not be); runs only when an earlier action
 * of the same fix changed something. A Docker restart with containers can take minutes on a small
 * board, hence its own time limit.
 */
public record ServiceRestart(String service, List<String> command, boolean againOnUndo) implements FixAction {
    static final Duration LIMIT = Duration.ofMinutes(3);

    public ServiceRestart {
        if (!service.matches("[a-z0-9][a-z0-9_.@-]{0,63}")) {
            throw new IllegalArgumentException("not a service name: " + service);
        }
        command = List.copyOf(command);
    }

    /** The restart command for this host's init system: systemd, SysV service(8), or an OpenWrt/init.d script. */
    public static ServiceRestart plan(HostSystem host, String service, boolean againOnUndo) throws FixException {
        if (host.exists("/run/systemd/system") && host.which("systemctl").isPresent()) {
            return new ServiceRestart(service, List.of("systemctl", "restart", service), againOnUndo);
        }
        if (host.exists("/etc/init.d/" + service)) {
            return new ServiceRestart(service, List.of("/etc/init.d/" + service, "restart"), againOnUndo);
        }
        if (host.which("service").isPresent()) {
            return new ServiceRestart(service, List.of("service", service, "restart"), againOnUndo);
        }
        throw new FixException("no init system found to restart " + service + "; restart it by hand");
    }

    @Override
    public String describe() {
        return "Restart " + service + (service.equals("docker") || service.equals("dockerd")
                ? " (running containers restart too, unless live-restore is on)"
                : againOnUndo ? " (again on undo, to load the restored configuration)" : "");
    }

    @Override
    public List<String> preview() {
        return List.of("$ " + dev.triage.host.ShellQuote.join(command));
    }

    @Override
    public boolean needed(FixHost host) {
        return true;
    }

    @Override
    public boolean onlyAfterChange() {
        return true;
    }

    @Override
    public boolean reversible() {
        return againOnUndo;
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        host.run(command, LIMIT);
        return Map.of();
    }

    /** A service that loads a file (a firewall) restarts again after the file was restored. */
    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        if (againOnUndo) {
            host.run(command, LIMIT);
        }
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        return againOnUndo ? List.of("$ " + dev.triage.host.ShellQuote.join(command) + "   (to load the restored configuration)")
                : FixAction.super.undoPreview(undo);
    }
}
