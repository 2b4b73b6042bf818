package dev.triage.fix;

import java.util.List;
import java.util.Map;

/**
 * Restarts a service through the init system the host has. Cannot be undone (and need not be);
 * runs only when an earlier action of the same fix changed something.
 */
public record ServiceRestart(String service) implements FixAction {

    public ServiceRestart {
        if (!service.matches("[a-z0-9][a-z0-9_.@-]{0,63}")) {
            throw new IllegalArgumentException("not a service name: " + service);
        }
    }

    @Override
    public String describe() {
        return "Restart " + service + " (running containers restart too, unless live-restore is on)";
    }

    @Override
    public List<String> preview() {
        return List.of("$ systemctl restart " + service + "   (or: service " + service + " restart; /etc/init.d/" + service + " restart)");
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
        return false;
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        if (host.system().exists("/run/systemd/system") && host.system().which("systemctl").isPresent()) {
            host.run(List.of("systemctl", "restart", service));
        } else if (host.system().which("service").isPresent()) {
            host.run(List.of("service", service, "restart"));
        } else if (host.system().exists("/etc/init.d/" + service)) {
            host.run(List.of("/etc/init.d/" + service, "restart"));
        } else {
            throw new FixException("no init system found to restart " + service + "; restart it by hand");
        }
        return Map.of();
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) {
        // a restart has nothing to revert
    }
}
