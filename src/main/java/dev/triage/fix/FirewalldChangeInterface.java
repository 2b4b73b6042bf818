package dev.triage.fix;

import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;
import dev.triage.host.ShellQuote;
import dev.triage.host.firewall.FirewallNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * firewalld's own fix for a bridge it rejects: the interface back into the zone Docker registered
 * ({@code docker}), through {@code firewall-cmd}, so firewalld itself rebuilds its table. The
 * runtime binding always; the permanent one only where the permanent configuration binds the
 * interface to another zone (a {@code br-<id>} name that nothing binds permanently is put back into
 * the docker zone by Docker itself after a firewalld restart, and pinning a name that the next
 * compose recreate drops would leave a stale entry behind).
 *
 * @param runtimeFrom   the interface's runtime zone when the fix was planned ("" for none)
 * @param permanentFrom its permanent zone when planned ("" for none); only changed when not "" and not {@code zone}
 */
public record FirewalldChangeInterface(String iface, String zone, String runtimeFrom, String permanentFrom)
        implements FixAction {
    static final Duration LIMIT = Duration.ofSeconds(20);
    private static final String ZONE = "[A-Za-z0-9_][A-Za-z0-9_-]{0,16}";

    public FirewalldChangeInterface {
        if (!FirewallNames.isValidInterface(iface) || iface.endsWith("+")) {
            throw new IllegalArgumentException("not a fixed interface name: " + iface);
        }
        if (zone == null || !zone.matches(ZONE)) {
            throw new IllegalArgumentException("not a firewalld zone name: " + zone);
        }
        for (String z : new String[] {runtimeFrom, permanentFrom}) {
            if (z == null || !z.isEmpty() && !z.matches(ZONE)) {
                throw new IllegalArgumentException("not a firewalld zone name: " + z);
            }
        }
    }

    /**
     * Reads where firewalld has the interface now (runtime and permanent); refuses when firewall-cmd
     * does not answer, the zone does not exist, or the interface is already there.
     */
    public static FirewalldChangeInterface plan(HostSystem host, String iface, String zone) throws FixException {
        if (!FirewallNames.isValidInterface(iface) || iface.endsWith("+")) {
            throw new FixException("not a fixed interface name: " + iface);
        }
        CommandResult zones = host.run(LIMIT, "firewall-cmd", "--get-zones");
        if (!zones.ok()) {
            throw new FixException("firewall-cmd does not answer here (" + oneLine(zones) + "); change the zone where"
                    + " firewalld runs: firewall-cmd --zone=" + zone + " --change-interface=" + iface);
        }
        if (!List.of(zones.stdout().strip().split("\\s+")).contains(zone)) {
            throw new FixException("firewalld has no zone " + zone + "; Docker registers it when it starts while firewalld"
                    + " runs (restart Docker)");
        }
        String runtime = zoneOf(host, iface, false);
        String permanent = zoneOf(host, iface, true);
        FirewalldChangeInterface a = new FirewalldChangeInterface(iface, zone, runtime, permanent);
        if (!a.runtimeChange() && !a.permanentChange()) {
            throw new FixException(iface + " is already in firewalld's zone " + zone + ": the zone is not what blocks it");
        }
        return a;
    }

    /** The zone firewall-cmd names for the interface, "" for none ("no zone", exit 2). */
    static String zoneOf(HostSystem host, String iface, boolean permanent) throws FixException {
        List<String> argv = getZoneArgv(iface, permanent);
        CommandResult r = host.run(LIMIT, argv);
        String out = r.stdout().strip();
        if (r.ok() && out.matches(ZONE)) {
            return out;
        }
        if (r.exitCode() == 2 && (out + r.stderr()).contains("no zone")) {
            return "";
        }
        throw new FixException(ShellQuote.join(argv) + " failed: " + oneLine(r));
    }

    private static List<String> getZoneArgv(String iface, boolean permanent) {
        List<String> argv = new ArrayList<>(List.of("firewall-cmd"));
        if (permanent) {
            argv.add("--permanent");
        }
        argv.add("--get-zone-of-interface=" + iface);
        return argv;
    }

    private static String oneLine(CommandResult r) {
        String s = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
        s = s.lines().findFirst().orElse(r.timedOut() ? "timed out" : "exit " + r.exitCode());
        return s.length() > 160 ? s.substring(0, 160) + "..." : s;
    }

    boolean runtimeChange() {
        return !runtimeFrom.equals(zone);
    }

    boolean permanentChange() {
        return !permanentFrom.isEmpty() && !permanentFrom.equals(zone);
    }

    List<String> changeArgv(boolean permanent, String toZone) {
        List<String> argv = new ArrayList<>(List.of("firewall-cmd"));
        if (permanent) {
            argv.add("--permanent");
        }
        argv.add("--zone=" + toZone);
        argv.add("--change-interface=" + iface);
        return argv;
    }

    /** Back where it was: the old zone, or out of {@code zone} when it was in none. */
    List<String> restoreArgv(boolean permanent, String from) {
        if (!from.isEmpty()) {
            return changeArgv(permanent, from);
        }
        List<String> argv = new ArrayList<>(List.of("firewall-cmd"));
        if (permanent) {
            argv.add("--permanent");
        }
        argv.add("--zone=" + zone);
        argv.add("--remove-interface=" + iface);
        return argv;
    }

    @Override
    public String describe() {
        return "Move " + iface + " into firewalld's zone " + zone + " (now " + where(runtimeFrom) + " at runtime"
                + (permanentChange() ? ", " + where(permanentFrom) + " in the permanent configuration"
                : ", which the permanent configuration leaves as it is") + ")";
    }

    private static String where(String z) {
        return z.isEmpty() ? "in no zone" : "in zone " + z;
    }

    @Override
    public List<String> preview() {
        List<String> lines = new ArrayList<>();
        if (runtimeChange()) {
            lines.add("$ " + ShellQuote.join(changeArgv(false, zone)));
        }
        if (permanentChange()) {
            lines.add("$ " + ShellQuote.join(changeArgv(true, zone)));
        }
        lines.add("  (firewalld rebuilds its own table inet firewalld; the permanent configuration "
                + (permanentChange() ? "is written to /etc/firewalld/zones/" + zone + ".xml and " + permanentFrom
                + ".xml, firewalld keeping their previous versions as .xml.old)"
                : permanentFrom.equals(zone) ? "has " + iface + " in zone " + zone + " already)"
                : "binds " + iface + " to no zone, and Docker puts its bridges into " + zone + " again after a firewalld restart)"));
        return lines;
    }

    @Override
    public boolean needed(FixHost host) throws FixException {
        return !zoneOf(host.system(), iface, false).equals(zone)
                || (permanentChange() && !zoneOf(host.system(), iface, true).equals(zone));
    }

    /** Where the interface is before the change, journaled first: undo puts it back there. */
    @Override
    public Map<String, String> intent(FixHost host) throws FixException {
        Map<String, String> undo = new LinkedHashMap<>();
        undo.put("runtime", zoneOf(host.system(), iface, false));
        if (permanentChange()) {
            undo.put("permanent", zoneOf(host.system(), iface, true));
        }
        return undo;
    }

    @Override
    public Map<String, String> apply(FixHost host) throws FixException {
        return apply(host, intent(host));
    }

    @Override
    public Map<String, String> apply(FixHost host, Map<String, String> intent) throws FixException {
        String runtime = intent.getOrDefault("runtime", "");
        // the preview named the zones it was planned from: anything else changed since, and is left alone
        if (!runtime.equals(zone) && !runtime.equals(runtimeFrom)) {
            throw new FixException(iface + " moved to " + where(runtime) + " since the plan (" + where(runtimeFrom)
                    + "); not changing it");
        }
        String permanent = intent.get("permanent");
        if (permanent != null && !permanent.equals(zone) && !permanent.equals(permanentFrom)) {
            throw new FixException(iface + " is " + where(permanent) + " in the permanent configuration since the plan ("
                    + where(permanentFrom) + "); not changing it");
        }
        Map<String, String> undo = new LinkedHashMap<>(intent);
        if (!runtime.equals(zone)) {
            host.run(changeArgv(false, zone), LIMIT);
            undo.put("runtimeChanged", "yes");
        }
        if (permanent != null && !permanent.equals(zone)) {
            host.run(changeArgv(true, zone), LIMIT);
            undo.put("permanentChanged", "yes");
        }
        return Map.copyOf(undo);
    }

    /** Each binding back to its old zone, only while it is still the one this fix set (safe to repeat). */
    @Override
    public void undo(FixHost host, Map<String, String> undo) throws FixException {
        List<String> problems = new ArrayList<>();
        if (undo.containsKey("permanent")) {
            restore(host, true, undo.get("permanent"), problems);
        }
        if (undo.containsKey("runtime")) {
            restore(host, false, undo.get("runtime"), problems);
        }
        if (!problems.isEmpty()) {
            throw new FixException(String.join("; ", problems));
        }
    }

    private void restore(FixHost host, boolean permanent, String from, List<String> problems) throws FixException {
        if (from.equals(zone)) {
            return; // it was there already: this fix did not change it
        }
        String now = zoneOf(host.system(), iface, permanent);
        if (now.equals(from)) {
            return; // back already
        }
        if (!now.equals(zone)) {
            problems.add(iface + " is " + where(now) + (permanent ? " in the permanent configuration" : "")
                    + ", not in " + zone + " as this fix left it; not moving it back (it was " + where(from) + ")");
            return;
        }
        host.run(restoreArgv(permanent, from), LIMIT);
    }

    @Override
    public List<String> undoPreview(Map<String, String> undo) {
        List<String> lines = new ArrayList<>();
        if (undo.containsKey("permanent") && !undo.get("permanent").equals(zone)) {
            lines.add("$ " + ShellQuote.join(restoreArgv(true, undo.get("permanent"))));
        }
        if (undo.containsKey("runtime") && !undo.get("runtime").equals(zone)) {
            lines.add("$ " + ShellQuote.join(restoreArgv(false, undo.get("runtime"))));
        }
        if (lines.isEmpty()) {
            return List.of("nothing: " + iface + " was in zone " + zone + " already");
        }
        lines.add("  (each only while " + iface + " is still in zone " + zone + ", where this fix put it)");
        return lines;
    }
}
