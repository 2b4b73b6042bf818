package dev.triage.fix;

import java.util.List;
import java.util.Map;

/** Loads a kernel module now; undo unloads it only if this fix loaded it. */
public record ModuleLoad(String module) implements FixAction {

    public ModuleLoad {
        if (!module.matches("[a-z0-9_]{1,56}")) {
            throw new IllegalArgumentException("not a module name: " + module);
        }
    }

    @Override
    public String describe() {
        return "Load the kernel module " + module;
    }

    @Override
    public List<String> preview() {
        return List.of("$ modprobe " + module);
    }

    @Override
    public boolean needed(FixHost host) {
        return !host.system().exists("/sys/module/" + module);
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        if (host.system().which("modprobe").isEmpty()) {
            throw new FixException("modprobe is not installed (Debian/Ubuntu: apt-get install kmod)");
        }
        host.run(List.of("modprobe", module));
        return Map.of();
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        if (host.system().exists("/sys/module/" + module)) {
            host.run(List.of("modprobe", "-r", module));
        }
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        return List.of("$ modprobe -r " + module + "   (if it is loaded)");
    }
}
