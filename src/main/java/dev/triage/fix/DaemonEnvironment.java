package dev.triage.fix;

import dev.triage.host.HostSystem;
import dev.triage.host.ShellQuote;
import dev.triage.params.Params;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets environment variables for a daemon where its init system reads them, then restarts it so
 * they take effect: a systemd drop-in (then daemon-reload) where systemd runs the service, the
 * SysV script's /etc/default/NAME ("export KEY=VALUE", which the script sources) otherwise. The
 * file is a {@link FileWrite}: exact diff in the preview, backup, byte-for-byte undo; undo
 * restarts the daemon again so the variables are gone from it too.
 */
public record DaemonEnvironment(String service, FileWrite file, List<String> reload, List<String> restart)
        implements FixAction {

    public DaemonEnvironment {
        reload = List.copyOf(reload);
        restart = List.copyOf(restart);
    }

    /**
     * Plans the change for this host.
     *
     * @param etc     where /etc is (the real one except in tests)
     * @param dropIn  the drop-in's file name under /etc/systemd/system/SERVICE.service.d/
     * @param set     KEY=VALUE pairs
     */
    public static DaemonEnvironment plan(HostSystem host, Path etc, String service, String dropIn, List<String> set,
                                         String why) throws FixException {
        if (!service.matches("[a-z0-9][a-z0-9_.@-]{0,63}")) {
            throw new IllegalArgumentException("not a service name: " + service);
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String kv : set) {
            Params.Assignment a = Params.Assignment.of(kv)
                    .filter(x -> x.key().matches("[A-Z_][A-Z0-9_]{0,127}") && x.value().matches("[A-Za-z0-9_.:/-]{0,256}"))
                    .orElseThrow(() -> new IllegalArgumentException("not a plain KEY=VALUE: " + kv));
            vars.put(a.key(), a.value());
        }
        if (vars.isEmpty()) {
            throw new IllegalArgumentException("no variable to set");
        }
        if (host.exists("/run/systemd/system") && host.which("systemctl").isPresent()) {
            if (!dropIn.matches("[A-Za-z0-9_.-]{1,64}\\.conf") || dropIn.startsWith(".")) {
                throw new IllegalArgumentException("not a plain .conf file name: " + dropIn);
            }
            Path file = etc.resolve("systemd/system").resolve(service + ".service.d").resolve(dropIn);
            StringBuilder text = new StringBuilder("# " + why + "\n[Service]\n");
            vars.forEach((k, v) -> text.append("Environment=\"").append(k).append('=').append(v).append("\"\n"));
            return new DaemonEnvironment(service, FileWrite.plan(file, text.toString(), why),
                    List.of("systemctl", "daemon-reload"), List.of("systemctl", "restart", service));
        }
        Path defaults = etc.resolve("default").resolve(service);
        if (!host.exists("/etc/init.d/" + service) && !java.nio.file.Files.exists(defaults)) {
            throw new FixException("neither systemd nor a SysV script (/etc/init.d/" + service + ") starts " + service
                    + " here; set " + String.join(" ", set) + " in the environment of whatever starts it");
        }
        String old = java.nio.file.Files.exists(defaults) ? FileWrite.text(defaults) : "";
        String next = old;
        for (var v : vars.entrySet()) {
            next = exportLine(next, v.getKey(), v.getValue(), why);
        }
        List<String> restart = host.which("service").isPresent() ? List.of("service", service, "restart")
                : List.of("/etc/init.d/" + service, "restart");
        return new DaemonEnvironment(service, FileWrite.plan(defaults, next, why), List.of(), restart);
    }

    /** Replaces an existing "[export ]KEY=..." line or appends one, so a second run adds nothing. */
    static String exportLine(String text, String key, String value, String why) {
        return dev.triage.host.EnvFile.set(text, key, "export " + key + "=" + value, "# " + why);
    }

    @Override
    public String describe() {
        return file.describe() + "; then restart " + service;
    }

    @Override
    public List<String> preview() {
        List<String> lines = new ArrayList<>(file.preview());
        if (!reload.isEmpty()) {
            lines.add("$ " + ShellQuote.join(reload));
        }
        lines.add("$ " + ShellQuote.join(restart));
        return lines;
    }

    @Override
    public List<String> script() {
        List<String> lines = new ArrayList<>(file.script());
        if (!reload.isEmpty()) {
            lines.add(ShellQuote.join(reload));
        }
        lines.add(ShellQuote.join(restart));
        return lines;
    }

    @Override
    public boolean needed(FixHost host) throws FixException {
        return file.needed(host);
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        Map<String, String> undo = file.apply(host);
        restart(host);
        return undo;
    }

    /** The file back byte for byte, then the daemon restarted so it runs without the variables again. */
    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        file.undo(host, undo);
        restart(host);
    }

    private void restart(FixHost host) throws FixException {
        if (!reload.isEmpty()) {
            host.run(reload);
        }
        host.run(restart, ServiceRestart.LIMIT);
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        List<String> lines = new ArrayList<>(file.undoPreview(undo));
        if (!reload.isEmpty()) {
            lines.add("$ " + ShellQuote.join(reload));
        }
        lines.add("$ " + ShellQuote.join(restart));
        return lines;
    }
}
