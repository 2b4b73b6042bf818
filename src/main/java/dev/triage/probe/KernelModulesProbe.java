package dev.triage.probe;

import dev.triage.host.HostSystem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Whether this kernel has (or can load) the netfilter modules the engine said it could not use:
 * loaded (/sys/module), shipped as a module or built in (/lib/modules/RELEASE/modules.dep and
 * modules.builtin, what modinfo reads), and what the kernel's build configuration says
 * (/proc/config.gz, else /boot/config-RELEASE). Also names the failing command from the daemon's
 * error and how the engine is started (systemd or a SysV script), which decides where its
 * environment is set.
 */
public final class KernelModulesProbe implements Probe<KernelModulesProbe.Evidence> {
    private static final Pattern FAILED_COMMAND = Pattern.compile("iptables failed: ((?:ip6?tables|ipset) [^:()]*?)\\s*:");
    // with firewalld running, Docker's iptables calls go through its D-Bus passthrough, which words the refusal itself
    private static final Pattern FIREWALLD_FAILED_COMMAND =
            Pattern.compile("COMMAND_FAILED: '((?:/[\\w/.-]*/)?(?:ip6?tables|ipset) [^']*)' failed");
    private static final Pattern IPSET_CREATE = Pattern.compile("(creating ipset [A-Za-z0-9_.-]+)");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,56}");
    private static final Pattern CONFIG = Pattern.compile("CONFIG_[A-Z0-9_]{1,64}");

    /** One module: loaded now, found on disk or built in. */
    public record Module(String name, boolean loaded, String shippedAs) { }

    /**
     * @param moduleAvailable every module is loaded, built in or on disk for this kernel
     * @param kernelConfig    e.g. "CONFIG_IP_NF_RAW=m", "CONFIG_IP_NF_RAW is not set", or "not stated (...)"
     * @param initSystem      systemd, sysv, or unknown: where dockerd's environment is set
     */
    public record Evidence(String kernelRelease, List<Module> modules, boolean moduleAvailable, String missing,
                           String kernelConfig, String configSource, String failingCommand, String initSystem) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("kernel-modules", Evidence.class)
            .outcomes("available", "not-available")
            // the module can be had for this kernel: the finding that points at the problem is the error, not this
            .fine("available")
            .requires("modules")
            .optional("configs", "error");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        return inspect(context.host(), words(params.get("modules"), NAME), words(params.get("configs"), CONFIG), params.get("error"));
    }

    static ProbeResult<Evidence> inspect(HostSystem host, List<String> modules, List<String> configs, String error) {
        String release = host.readValue("/proc/sys/kernel/osrelease").orElse("");
        String dir = "/lib/modules/" + release;
        Optional<String> dep = release.isEmpty() ? Optional.empty() : host.read(dir + "/modules.dep");
        Optional<String> builtin = release.isEmpty() ? Optional.empty() : host.read(dir + "/modules.builtin");
        List<Module> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String m : modules) {
            boolean loaded = host.exists("/sys/module/" + m);
            String shipped = shipped(dep, m, ".ko") ? "a module in " + dir
                    : shipped(builtin, m, ".ko") ? "built into the kernel" : loaded ? "loaded" : dep.isPresent()
                    ? "not in " + dir : "unknown (no " + dir + "/modules.dep)";
            found.add(new Module(m, loaded, shipped));
            if (!loaded && !shipped.startsWith("a module") && !shipped.startsWith("built")) {
                missing.add(m);
            }
        }
        String[] source = new String[1];
        Optional<String> config = kernelConfig(host, release, source);
        List<String> configLines = new ArrayList<>();
        for (String c : configs) {
            configLines.add(config.map(text -> configValue(text, c)).orElse(c + ": not stated (no /proc/config.gz or /boot/config-"
                    + (release.isEmpty() ? "RELEASE" : release) + ")"));
        }
        // a config line "is not set" settles it even where /lib/modules cannot be read
        boolean configSaysNo = configLines.stream().anyMatch(l -> l.endsWith(" is not set"));
        boolean available = missing.isEmpty() && !configSaysNo;
        String init = host.exists("/run/systemd/system") ? "systemd"
                : host.exists("/etc/init.d/docker") || host.exists("/etc/default/docker") ? "sysv" : "unknown";
        Evidence e = new Evidence(release.isEmpty() ? "unknown" : release, List.copyOf(found), available,
                missing.isEmpty() ? "none" : String.join(", ", missing),
                configLines.isEmpty() ? "not asked" : String.join("; ", configLines),
                source[0] == null ? "none found" : source[0], failingCommand(error), init);
        String summary = String.join(", ", modules) + (available ? " can be loaded on kernel " : " is not available on kernel ")
                + e.kernelRelease() + " (" + String.join("; ", configLines) + ")";
        return ProbeResult.of(available ? "available" : "not-available", e, summary);
    }

    private static boolean shipped(Optional<String> list, String module, String ext) {
        if (list.isEmpty()) {
            return false;
        }
        // modules.dep: "kernel/net/ipv4/netfilter/iptable_raw.ko.zst: kernel/..."; modules.builtin: one path a line;
        // the name is [a-z0-9_] (checked), and the kernel treats _ and - in module names alike
        Pattern p = Pattern.compile("(?m)(^|/)" + module.replace("_", "[_-]") + Pattern.quote(ext) + "(\\.[a-z]+)?(:|$)");
        return p.matcher(list.get()).find();
    }

    private static Optional<String> kernelConfig(HostSystem host, String release, String[] source) {
        Path gz = host.path("/proc/config.gz");
        if (Files.isReadable(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                source[0] = "/proc/config.gz";
                return Optional.of(new String(in.readNBytes(8 << 20), StandardCharsets.UTF_8));
            } catch (IOException e) {
                source[0] = null; // unreadable: fall back to /boot
            }
        }
        if (!release.isEmpty()) {
            Optional<String> boot = host.read("/boot/config-" + release);
            if (boot.isPresent()) {
                source[0] = "/boot/config-" + release;
                return boot;
            }
        }
        return Optional.empty();
    }

    static String configValue(String config, String option) {
        Matcher set = Pattern.compile("(?m)^" + option + "=(\\S+)$").matcher(config);
        if (set.find()) {
            return option + "=" + set.group(1);
        }
        return config.lines().anyMatch(l -> l.strip().equals("# " + option + " is not set"))
                ? option + " is not set" : option + ": not in the kernel's configuration";
    }

    /** The command the daemon ran and the kernel refused, from its error text; "not stated" when absent. */
    static String failingCommand(String error) {
        if (error == null || error.isBlank()) {
            return "not stated";
        }
        Matcher m = FAILED_COMMAND.matcher(error);
        if (m.find()) {
            return m.group(1).strip();
        }
        Matcher firewalld = FIREWALLD_FAILED_COMMAND.matcher(error);
        if (firewalld.find()) {
            return firewalld.group(1).strip();
        }
        Matcher ipset = IPSET_CREATE.matcher(error);
        return ipset.find() ? ipset.group(1) : "not stated";
    }

    private static List<String> words(String value, Pattern allowed) {
        List<String> out = new ArrayList<>();
        for (String w : value.trim().split("[\\s,]+")) {
            if (allowed.matcher(w).matches()) {
                out.add(w);
            } else if (!w.isEmpty()) {
                throw new IllegalArgumentException("not a kernel module or option name: " + w);
            }
        }
        return out;
    }
}
