package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.triage.scenario.KindCatalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a scenario's action (kind + resolved parameters) into typed {@link FixAction}s. File-based
 * kinds compute the new file content here, at plan time, so the preview shows exactly what is written.
 */
public final class ActionFactory {
    /** Builds one kind's action from its resolved parameters, on this factory's /etc and host. */
    @FunctionalInterface
    private interface Builder {
        FixAction build(ActionFactory f, Params p, String why) throws FixException;
    }

    /** An action kind: the parameters the validator checks and how it is built. */
    private record Kind(KindCatalog.ActionKind params, Builder builder) { }

    /** Every action kind, in one place: adding a kind is one entry here (and its class). */
    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    private static void kind(String name, Set<String> required, Set<String> optional, Builder builder) {
        if (KINDS.put(name, new Kind(new KindCatalog.ActionKind(required, optional), builder)) != null) {
            throw new IllegalStateException("two action kinds " + name);
        }
    }

    private final Path etc;
    private final dev.triage.host.HostSystem host;

    static {
        kind("iptables-rule-delete", Set.of("binary", "chain", "rule"), Set.of("table"),
                (f, p, why) -> IptablesRuleChange.delete(p.get("binary"), p.get("table", "filter"), p.get("chain"), p.list("rule")));
        kind("iptables-rule-insert", Set.of("binary", "chain", "rule"), Set.of("table", "position"),
                (f, p, why) -> IptablesRuleChange.insert(p.get("binary"), p.get("table", "filter"), p.get("chain"),
                        Integer.parseInt(p.get("position", "1")), p.list("rule")));
        kind("nft-rule-insert", Set.of("family", "table", "chain"), Set.of("in", "out", "replies"),
                (f, p, why) -> NftRuleChange.acceptBridge(p.get("family"), p.get("table"), p.get("chain"),
                        blankToNull(p.get("in", "")), blankToNull(p.get("out", "")), "true".equals(p.get("replies", "false"))));
        kind("nft-rule-delete", Set.of("family", "table", "chain", "handle", "rule"), Set.of(),
                (f, p, why) -> NftRuleChange.delete(p.get("family"), p.get("table"), p.get("chain"),
                        Long.parseLong(p.get("handle")), p.get("rule")));
        kind("sysctl-set", Set.of("key", "value"), Set.of(),
                (f, p, why) -> new SysctlSet(p.get("key"), p.get("value")));
        kind("sysctl-persist", Set.of("file", "set"), Set.of(),
                (f, p, why) -> sysctlPersist(f.confFile("sysctl.d", p.get("file")), p.list("set"), why));
        kind("module-load", Set.of("module"), Set.of(),
                (f, p, why) -> new ModuleLoad(p.get("module")));
        kind("module-persist", Set.of("file", "module"), Set.of(),
                (f, p, why) -> FileWrite.plan(f.confFile("modules-load.d", p.get("file")),
                        setLine(read(f.confFile("modules-load.d", p.get("file"))), p.get("module"), p.get("module"), why), why));
        kind("service-restart", Set.of("service"), Set.of("again-on-undo"),
                (f, p, why) -> ServiceRestart.plan(f.host, p.get("service"), "true".equals(p.get("again-on-undo"))));
        kind("compose-host-network", Set.of("compose-file"), Set.of(),
                (f, p, why) -> composeHostNetwork(Path.of(p.get("compose-file")), why));
        kind("env-file-set", Set.of("file", "set"), Set.of(),
                (f, p, why) -> envFileSet(Path.of(p.get("file")), p.list("set"), why));
        kind("compose-network-options", Set.of("compose-file", "network", "set"), Set.of(),
                (f, p, why) -> composeNetworkOptions(Path.of(p.get("compose-file")), p.get("network"),
                        p.list("set"), why));
        kind("openwrt-firewall-zone", Set.of("device"), Set.of("zone", "forward-to"),
                (f, p, why) -> openwrtFirewallZone(f.etc.resolve("config/firewall"), p.get("device"),
                        p.get("zone", "docker"), p.get("forward-to", "wan"), why));
        kind("rules-file-line", Set.of("file", "chain", "rule"), Set.of("table"),
                (f, p, why) -> rulesFileLine(f.etcFile(p.get("file")), p.get("table", "filter"), p.get("chain"),
                        p.list("rule"), why));
        kind("compose-service-edit", Set.of("compose-file", "service"), Set.of("unset-env", "remove-volume", "volume-source"),
                (f, p, why) -> ComposeFileActions.serviceEdit(Path.of(p.get("compose-file")), p.get("service"),
                        p.list("unset-env"), p.list("remove-volume"), p.list("volume-source"), why));
        kind("compose-image-tag", Set.of("compose-file", "images", "tag"), Set.of(),
                (f, p, why) -> ComposeFileActions.imageTag(Path.of(p.get("compose-file")), p.list("images"),
                        p.get("tag"), why));
        kind("env-file-unset", Set.of("file", "keys"), Set.of(),
                (f, p, why) -> envFileUnset(Path.of(p.get("file")), p.list("keys"), why));
        kind("postfix-master-rename", Set.of("file", "from", "to"), Set.of(),
                (f, p, why) -> postfixMasterRename(Path.of(p.get("file")), p.get("from"), p.get("to"), why));
        kind("container-restart", Set.of("container"), Set.of(),
                (f, p, why) -> new ContainerRestart(p.get("container")));
        kind("daemon-environment", Set.of("service", "drop-in", "set"), Set.of(),
                (f, p, why) -> DaemonEnvironment.plan(f.host, f.etc, p.get("service"), p.get("drop-in"), p.list("set"), why));
        kind("firewalld-zone-interface", Set.of("interface"), Set.of("zone"),
                (f, p, why) -> firewalldZoneInterface(f.etc.resolve("firewalld/zones"),
                        p.get("zone", "docker"), p.get("interface"), why));
        kind("firewalld-change-interface", Set.of("interface"), Set.of("zone"),
                (f, p, why) -> FirewalldChangeInterface.plan(f.host, p.get("interface"), p.get("zone", "docker")));
    }

    /** @param etc where /etc is (the real one except in tests of file contents) */
    public ActionFactory(Path etc) {
        this(etc, dev.triage.host.HostSystem.local());
    }

    public ActionFactory(Path etc, dev.triage.host.HostSystem host) {
        this.etc = etc;
        this.host = host;
    }

    public static Map<String, KindCatalog.ActionKind> kinds() {
        Map<String, KindCatalog.ActionKind> all = new LinkedHashMap<>();
        KINDS.forEach((name, kind) -> all.put(name, kind.params()));
        return java.util.Collections.unmodifiableMap(all);
    }

    /** Resolved parameters of one action. */
    public record Params(Map<String, Object> values) {
        String get(String name) {
            Object v = values.get(name);
            return v == null ? "" : v instanceof List<?> l ? String.join(" ", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
        }

        String get(String name, String fallback) {
            String v = get(name);
            return v.isEmpty() ? fallback : v;
        }

        List<String> list(String name) {
            Object v = values.get(name);
            if (v instanceof List<?> l) {
                return l.stream().map(String::valueOf).toList();
            }
            String s = get(name);
            return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
        }
    }

    public FixAction build(String kind, Map<String, Object> values, String why) throws FixException {
        Params p = new Params(values);
        Kind k = KINDS.get(kind);
        if (k == null) {
            throw new FixException("unknown action kind " + kind);
        }
        try {
            return k.builder().build(this, p, why);
        } catch (IllegalArgumentException e) {
            throw new FixException("refusing the action " + kind + ": " + e.getMessage());
        }
    }

    private Path confFile(String dir, String name) {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}\\.conf") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a plain .conf file name: " + name);
        }
        return etc.resolve(dir).resolve(name);
    }

    private static String read(Path file) throws FixException {
        if (!Files.exists(file)) {
            return null;
        }
        return FileWrite.text(file);
    }

    /**
     * Sets the line for {@code key} ("key = value" or a bare module name) in a small config file,
     * replacing an existing one, so that applying twice never adds a second line.
     */
    static String setLine(String existing, String key, String line, String why) {
        if (existing == null) {
            return "# Written by triage: " + why + "\n" + line + "\n";
        }
        return dev.triage.host.EnvFile.set(existing, key, line);
    }

    /** A sysctl.d file with each KEY=VALUE of {@code set} as "key = value", existing keys replaced in place. */
    static FileWrite sysctlPersist(Path file, List<String> set, String why) throws FixException {
        String text = read(file);
        for (String assignment : set) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw new FixException("not a KEY=VALUE sysctl setting: " + assignment);
            }
            SysctlSet checked = new SysctlSet(assignment.substring(0, eq), assignment.substring(eq + 1)); // validates both
            text = setLine(text, checked.key(), checked.key() + " = " + checked.value(), why);
        }
        return FileWrite.plan(file, text, why);
    }

    /**
     * The write-up's fallback as a compose override next to the user's file: every service on the
     * host network. Never rewrites the user's compose file; refuses when an override already exists.
     */
    static FileWrite composeHostNetwork(Path compose, String why) throws FixException {
        JsonNode root = readCompose(compose);
        JsonNode services = root == null ? null : root.get("services");
        if (services == null || !services.isObject() || services.isEmpty()) {
            throw new FixException(compose + " has no services");
        }
        Path override = overrideFor(compose);
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by triage: ").append(why).append('\n');
        sb.append("# Every service on the host network (incident 000's fallback). Needs Docker Compose 2.18+ for !reset.\n");
        sb.append("# Apply: docker compose up -d   Go back: delete this file, then docker compose up -d\n");
        sb.append("services:\n");
        for (Iterator<String> it = services.fieldNames(); it.hasNext(); ) {
            String service = it.next();
            if (!service.matches("[A-Za-z0-9._-]+")) {
                throw new FixException("unexpected service name in " + compose + ": " + service);
            }
            sb.append("  ").append(service).append(":\n");
            sb.append("    network_mode: host\n");
            sb.append("    networks: !reset []\n");
            sb.append("    ports: !reset []\n");
            sb.append("    dns: !reset []\n"); // Mailu points dns: at its resolver's bridge address, gone in host mode
        }
        if (Files.exists(override) && !FileWrite.text(override).equals(sb.toString())) {
            throw new FixException(override + " already exists; merge 'network_mode: host' for each service into it by hand");
        }
        return FileWrite.plan(override, sb.toString(), why); // identical content: planned, and not needed
    }

    /**
     * Network driver options as a compose override next to the user's file (the durable form of a
     * bridge setting: compose recreates the network with it). The network is named by its compose
     * key (label com.docker.compose.network), which must exist in the compose file.
     */
    static FileWrite composeNetworkOptions(Path compose, String network, List<String> options, String why) throws FixException {
        if (!network.matches("[A-Za-z0-9._-]+")) {
            throw new FixException("not a compose network name: '" + network + "' (is the network managed by compose?)");
        }
        JsonNode root = readCompose(compose);
        boolean declared = root != null && root.path("networks").has(network);
        if (!declared && !network.equals("default")) {
            throw new FixException(compose + " declares no network '" + network + "'");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by triage: ").append(why).append('\n');
        sb.append("# Compose only applies network options when it creates the network:\n");
        sb.append("#   docker compose down && docker compose up -d\n");
        sb.append("networks:\n  ").append(network).append(":\n    driver_opts:\n");
        for (String o : options) {
            int eq = o.indexOf('=');
            if (eq <= 0 || !o.substring(0, eq).matches("com\\.docker\\.network\\.bridge\\.[a-z_]+")
                    || !o.substring(eq + 1).matches("[A-Za-z0-9_.-]{1,15}")) {
                throw new FixException("not a bridge driver option: " + o);
            }
            sb.append("      ").append(o, 0, eq).append(": \"").append(o.substring(eq + 1)).append("\"\n");
        }
        Path override = overrideFor(compose);
        if (Files.exists(override) && !FileWrite.text(override).equals(sb.toString())) {
            throw new FixException(override + " already exists; add under networks." + network + ".driver_opts by hand: " + options);
        }
        return FileWrite.plan(override, sb.toString(), why);
    }

    /**
     * OpenWrt's durable fix (upstream dockerd/firewall4): the bridge, by its fixed name, into the
     * "docker" zone, and a docker -> wan forwarding (the wan zone already masquerades). Edits
     * /etc/config/firewall as text so the preview is a diff and undo restores it byte for byte;
     * never the wildcard br-+, which also matches br-lan.
     */
    static FileWrite openwrtFirewallZone(Path config, String device, String zone, String forwardTo, String why)
            throws FixException {
        if (!device.matches("[A-Za-z0-9_.-]{1,15}") || device.contains("+")) {
            throw new FixException("not a fixed device name: '" + device + "' (no wildcards: br-+ also matches br-lan)");
        }
        if (!zone.matches("[a-z0-9_]{1,32}") || !forwardTo.matches("[a-z0-9_]{1,32}")) {
            throw new FixException("not a firewall zone name: " + zone + " / " + forwardTo);
        }
        if (!Files.exists(config)) {
            throw new FixException(config + " does not exist: this is not an OpenWrt firewall");
        }
        String text = FileWrite.text(config);
        List<List<String>> sections = UciText.sections(text);
        int zoneIndex = -1;
        boolean targetZone = false;
        boolean forwarding = false;
        for (int i = 0; i < sections.size(); i++) {
            List<String> sec = sections.get(i);
            String head = sec.get(0).strip();
            if (head.startsWith("config zone") && zone.equals(UciText.option(sec, "name"))) {
                zoneIndex = i;
            }
            targetZone |= head.startsWith("config zone") && forwardTo.equals(UciText.option(sec, "name"));
            // a forwarding switched off with "option enabled '0'" does not count
            if (head.startsWith("config forwarding") && zone.equals(UciText.option(sec, "src"))
                    && forwardTo.equals(UciText.option(sec, "dest")) && !"0".equals(UciText.option(sec, "enabled"))) {
                forwarding = true;
            }
        }
        if (zoneIndex < 0) {
            throw new FixException("no '" + zone + "' zone in " + config + "; dockerd's init script creates it"
                    + " (/etc/init.d/dockerd restart), or add it with LuCI first");
        }
        if (!targetZone) {
            throw new FixException("no '" + forwardTo + "' zone in " + config + " to forward to");
        }
        String eol = text.contains("\r\n") ? "\r" : ""; // keep a CRLF file CRLF
        List<String> zoneSection = sections.get(zoneIndex);
        if (!UciText.lists(zoneSection, "device").contains(device)) {
            zoneSection.add(UciText.lastContentLine(zoneSection) + 1, "\tlist device '" + device + "'" + eol);
        }
        if (!forwarding) {
            sections.add(new ArrayList<>(List.of(eol, "config forwarding" + eol, "\toption src '" + zone + "'" + eol,
                    "\toption dest '" + forwardTo + "'" + eol)));
        }
        return FileWrite.plan(config, UciText.join(sections, text.endsWith("\n")), why);
    }

    private static JsonNode readCompose(Path compose) throws FixException {
        String text = FileWrite.text(compose, "compose file");
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new FixException("cannot read " + compose + " as YAML: " + e.getMessage());
        }
    }

    /** A file under /etc named by the scenario (rules.v4, ufw's after.rules), never elsewhere. */
    private Path etcFile(String file) {
        if (!file.startsWith("/etc/") || file.contains("..") || !file.matches("/etc/[A-Za-z0-9_./-]+")) {
            throw new IllegalArgumentException("not a file under /etc: " + file);
        }
        return etc.resolve(file.substring("/etc/".length()));
    }

    /**
     * A rule kept in an iptables-restore file (iptables-persistent's /etc/iptables/rules.v4, ufw's
     * /etc/ufw/after.rules), so that it is loaded at boot: added before the table's COMMIT, with
     * its chain declared, once. Everything else in the file stays as it was.
     */
    static FileWrite rulesFileLine(Path file, String table, String chain, List<String> words, String why) throws FixException {
        // several rules in one action ("a ; b"): one file, one planned content, one exact undo
        List<String> wanted = new ArrayList<>();
        List<String> rule = new ArrayList<>();
        for (int i = 0; i <= words.size(); i++) {
            if (i < words.size() && !words.get(i).equals(";")) {
                rule.add(words.get(i));
                continue;
            }
            if (rule.isEmpty()) {
                continue;
            }
            IptablesRuleChange.insert("iptables", table, chain, 1, rule); // validates table, chain and interfaces
            if (!rule.stream().allMatch(x -> x.matches("[A-Za-z0-9_.:,/+!-]+"))) {
                throw new FixException("rule words that would need quoting in a restore file: " + rule);
            }
            wanted.add("-A " + chain + " " + String.join(" ", rule));
            rule = new ArrayList<>();
        }
        String text = Files.exists(file) ? FileWrite.text(file) : "";
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        List<String> missing = wanted.stream().filter(w -> lines.stream().noneMatch(l -> l.strip().equals(w))).toList();
        if (missing.isEmpty()) {
            return FileWrite.plan(file, text, why); // already there: planned, and not needed
        }
        int start = lines.indexOf("*" + table);
        if (start < 0) {
            if (text.isEmpty()) {
                lines.add("# Written by triage: " + why);
            }
            lines.add("*" + table);
            lines.add(":" + chain + " - [0:0]");
            lines.addAll(missing);
            lines.add("COMMIT");
        } else {
            int commit = start + 1;
            while (commit < lines.size() && !lines.get(commit).strip().equals("COMMIT")) {
                commit++;
            }
            if (commit == lines.size()) {
                throw new FixException(file + ": the *" + table + " section has no COMMIT; fix the file first");
            }
            boolean declared = lines.subList(start, commit).stream().anyMatch(l -> l.startsWith(":" + chain + " "));
            lines.addAll(commit, missing);
            if (!declared) {
                int lastDeclaration = start;
                for (int i = start + 1; i < commit; i++) {
                    if (lines.get(i).startsWith(":")) {
                        lastDeclaration = i;
                    }
                }
                lines.add(lastDeclaration + 1, ":" + chain + " - [0:0]");
            }
        }
        return FileWrite.plan(file, String.join("\n", lines) + "\n", why);
    }

    /**
     * firewalld's durable form: the fixed bridge name as an interface of the (permanent) docker
     * zone, /etc/firewalld/zones/docker.xml, as "firewall-cmd --permanent --zone=docker
     * --add-interface=NAME" would write it.
     */
    static FileWrite firewalldZoneInterface(Path zones, String zone, String iface, String why) throws FixException {
        if (!zone.matches("[a-z0-9_-]{1,17}") || !iface.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new FixException("not a zone or interface name: " + zone + " / " + iface);
        }
        Path file = zones.resolve(zone + ".xml");
        String entry = "  <interface name=\"" + iface + "\"/>";
        if (!Files.exists(file)) {
            return FileWrite.plan(file, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<zone target=\"ACCEPT\">\n  <short>"
                    + zone + "</short>\n" + entry + "\n</zone>\n", why);
        }
        String text = FileWrite.text(file);
        FirewalldZoneFile zoneFile = FirewalldZoneFile.parse(text, file.toString());
        String edited = zoneFile.withInterface(iface);
        // the guard: read back, the zone has exactly one interface more, the one asked for
        List<String> expected = new java.util.ArrayList<>(zoneFile.interfaces());
        if (!expected.contains(iface)) {
            expected.add(iface);
        }
        if (!FirewalldZoneFile.parse(edited, file.toString()).interfaces().equals(expected)) {
            throw new FixException(file + ": the edited zone would not read back with exactly the new interface; add it by hand");
        }
        return FileWrite.plan(file, edited, why);
    }

    /** The override file compose reads by itself next to this compose file. */
    static Path overrideFor(Path compose) {
        String name = compose.getFileName().toString();
        String overrideName = name.startsWith("compose.") ? "compose.override" + name.substring("compose".length())
                : "docker-compose.override" + (name.endsWith(".yaml") ? ".yaml" : ".yml");
        return compose.toAbsolutePath().getParent().resolve(overrideName);
    }

    /** docker-mailserver's postfix-master.cf with every override of one service moved to another (smtps -> submissions). */
    static FileWrite postfixMasterRename(Path file, String from, String to, String why) throws FixException {
        if (!file.isAbsolute()) {
            throw new FixException(file + " is not an absolute path");
        }
        String text = FileWrite.text(file, "postfix-master.cf");
        return FileWrite.plan(file, dev.triage.mail.PostfixMasterOverrides.renameService(text, from, to), why);
    }

    /** Removes every KEY= line (also "export KEY=") of an env file, everything else byte for byte. */
    static FileWrite envFileUnset(Path file, List<String> keys, String why) throws FixException {
        if (!file.isAbsolute()) {
            throw new FixException("env file " + file + " is not an absolute path");
        }
        String text = FileWrite.text(file, "env file");
        return FileWrite.plan(file, dev.triage.host.EnvFile.unset(text, keys), why);
    }

    /** Sets KEY=VALUE lines in an env file (mailu.env), replacing existing keys in place. */
    static FileWrite envFileSet(Path file, List<String> assignments, String why) throws FixException {
        String text = FileWrite.text(file, "env file");
        for (String a : assignments) {
            if (!a.matches("[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.:/,@-]*")) {
                throw new FixException("not a plain KEY=VALUE assignment: " + a);
            }
            String key = a.substring(0, a.indexOf('='));
            text = setLine(text, key, a, why);
        }
        return FileWrite.plan(file, text, why);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
