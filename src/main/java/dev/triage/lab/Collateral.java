package dev.triage.lab;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a trainee may change by mistake outside the sandbox: iptables rules (filter, nat), the
 * sysctls the fixes touch, and the files where fixes make changes durable. Taken when the lab
 * starts and compared by {@code lab check}; the lab's own rules and Docker's per-network rules are
 * left out, so only changes that reach beyond the sandbox count.
 */
public final class Collateral {
    static final List<String> SYSCTLS = List.of("net/ipv4/ip_forward", "net/bridge/bridge-nf-call-iptables",
            "net/bridge/bridge-nf-call-ip6tables");
    static final List<String> FILE_DIRS = List.of("/etc/sysctl.d", "/etc/modules-load.d", "/etc/iptables",
            "/etc/docker", "/etc/ufw", "/etc/firewalld");
    /** Docker's own chains and its per-network rules: they come and go with every network on the engine. */
    private static final Pattern DOCKER_CHAIN = Pattern.compile("^-[AN] (DOCKER|DOCKER-ISOLATION-STAGE-[12])( |$)");
    /** Docker's hairpin masquerade for a published port of any container. */
    private static final Pattern DOCKER_HAIRPIN = Pattern.compile(
            "^-A POSTROUTING -s (\\S+)/32 -d \\1/32 -p (tcp|udp) -m (tcp|udp) --dport \\d+ -j MASQUERADE$");
    private static final Pattern DOCKER_BRIDGE = Pattern.compile("(br-[0-9a-f]{12}|docker0)( |$)");

    private Collateral() { }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Snapshot {
        public List<String> filter = new ArrayList<>();
        public List<String> nat = new ArrayList<>();
        public Map<String, String> sysctls = new TreeMap<>();
        public Map<String, String> files = new TreeMap<>();
    }

    public static Snapshot take(HostSystem host) {
        Snapshot s = new Snapshot();
        s.filter = rules(host, "filter");
        s.nat = rules(host, "nat");
        for (String sysctl : SYSCTLS) {
            host.readValue("/proc/sys/" + sysctl).ifPresent(v -> s.sysctls.put(sysctl.replace('/', '.'), v));
        }
        for (String dir : FILE_DIRS) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(d, 3)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    s.files.put(f.toString(), sha256(f));
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                s.files.put(dir, "unreadable");
            }
        }
        return s;
    }

    private static List<String> rules(HostSystem host, String table) {
        CommandResult r = host.run(Duration.ofSeconds(10), "iptables", "-w", "5", "-t", table, "-S");
        return r.ok() ? r.stdout().lines().toList() : List.of("(iptables -t " + table + " -S failed)");
    }

    /** The changes from {@code before} to {@code after}, in words, leaving out the sandbox's own. */
    public static List<String> changes(Snapshot before, Snapshot after, List<String> sandboxNames) {
        List<String> out = new ArrayList<>();
        diffRules("filter", before.filter, after.filter, sandboxNames, out);
        diffRules("nat", before.nat, after.nat, sandboxNames, out);
        for (Map.Entry<String, String> e : before.sysctls.entrySet()) {
            String now = after.sysctls.get(e.getKey());
            if (now != null && !now.equals(e.getValue())) {
                out.add("sysctl " + e.getKey() + " changed from " + e.getValue() + " to " + now);
            }
        }
        for (String f : after.files.keySet()) {
            if (!before.files.containsKey(f)) {
                out.add("file " + f + " was created");
            } else if (!before.files.get(f).equals(after.files.get(f))) {
                out.add("file " + f + " was changed");
            }
        }
        for (String f : before.files.keySet()) {
            if (!after.files.containsKey(f)) {
                out.add("file " + f + " was removed");
            }
        }
        return out;
    }

    private static void diffRules(String table, List<String> before, List<String> after, List<String> sandbox, List<String> out) {
        List<String> b = relevant(before, sandbox);
        List<String> a = relevant(after, sandbox);
        for (String line : a) {
            if (!b.contains(line)) {
                out.add("iptables -t " + table + ": added " + line);
            }
        }
        for (String line : b) {
            if (!a.contains(line)) {
                out.add("iptables -t " + table + ": removed " + line);
            }
        }
    }

    static List<String> relevant(List<String> lines, List<String> sandbox) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            if (sandbox.stream().anyMatch(n -> !n.isEmpty() && mentions(line, n))) {
                continue;
            }
            boolean userChain = line.startsWith("-A DOCKER-USER ") || line.startsWith("-P ");
            if (!userChain && (DOCKER_CHAIN.matcher(line).find() || DOCKER_BRIDGE.matcher(line).find()
                    || DOCKER_HAIRPIN.matcher(line).matches())) {
                continue;
            }
            out.add(line);
        }
        return out;
    }

    /** Whether a rule names a sandbox resource as a whole word (an interface, a subnet, the lab's comment). */
    static boolean mentions(String line, String name) {
        for (String token : line.split(" ")) {
            if (token.equals(name) || token.equals("\"" + name + "\"")) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
