package dev.triage.fix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sets a kernel setting at runtime by writing /proc/sys (what "sysctl -w" does); undo writes the old value back. */
public record SysctlSet(String key, String value) implements FixAction {

    public SysctlSet {
        if (!key.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)+")) {
            throw new IllegalArgumentException("not a sysctl key: " + key);
        }
        if (!value.matches("[A-Za-z0-9 ._-]{1,64}")) {
            throw new IllegalArgumentException("not a sysctl value: " + value);
        }
    }

    @Override
    public String describe() {
        return "Set " + key + " to " + value + " now (runtime)";
    }

    @Override
    public List<String> preview() {
        return List.of("write " + value + " to /proc/sys/" + key.replace('.', '/') + "   (what: sysctl -w " + key + "=" + value + ")");
    }

    @Override
    public List<String> script() {
        return List.of("sysctl -w " + dev.triage.host.ShellQuote.join(List.of(key + "=" + value)));
    }

    private Path path(FixHost host) {
        return host.system().path("/proc/sys/" + key.replace('.', '/'));
    }

    private String current(FixHost host) throws FixException {
        try {
            return Files.readString(path(host), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new FixException("cannot read " + path(host) + ": " + e.getMessage()
                    + (key.startsWith("net.bridge.") ? " (br_netfilter not loaded: load the module first)" : ""));
        }
    }

    /** A key that does not exist yet (its module is loaded by an earlier action) is needed; apply then checks again. */
    @Override
    public boolean needed(FixHost host) throws FixException {
        return !Files.exists(path(host)) || !current(host).equals(value);
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        String old = current(host);
        write(host, value);
        return Map.of("previous", old);
    }

    /** The value before, read before the write so that an undo after a crash can put it back. */
    @Override
    public Map<String, String> intent(FixHost host) throws FixException {
        return Files.exists(path(host)) ? Map.of("previous", current(host)) : Map.of();
    }

    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        String previous = undo.get("previous");
        if (previous != null && !current(host).equals(previous)) {
            write(host, previous);
        }
    }

    private void write(FixHost host, String v) throws FixException {
        try {
            Files.writeString(path(host), v + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new FixException("cannot write " + path(host) + ": " + e.getMessage() + dev.triage.host.HostUser.rootHint());
        }
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        String previous = undo.get("previous");
        return List.of(previous == null ? "nothing: " + key + " had no value before the fix"
                : "write " + previous + " to /proc/sys/" + key.replace('.', '/') + "   (what: sysctl -w " + key + "=" + previous + ")");
    }
}
