package dev.triage.lab;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import dev.triage.docker.RunIdentity;
import dev.triage.host.CommandResult;
import dev.triage.host.HostSystem;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;

/**
 * Builds a lab's sandbox step by step and restores it. Every resource is written to the lab state
 * before it is created, so a restore after a crash or a signal finds it; every Docker object
 * carries triage's labels and the lab's own; host changes name only the sandbox's own bridge,
 * veth pair or namespace. Restore takes things back in reverse order and never touches anything
 * that is not recorded (an image tag only if it still points where the lab put it, a process
 * only if it is still the one the lab started).
 */
final class Sandbox {
    private static final Duration CMD = Duration.ofSeconds(20);
    private final DockerClient docker;
    private final HostSystem host;
    private final Path stateDir;
    private final LabState state;
    private final Consumer<String> progress;
    /** Held by each build step: a restore from a signal waits for the step under way, so nothing is created after it. */
    private final Object stepLock = new Object();
    private volatile boolean halted;

    Sandbox(DockerClient docker, HostSystem host, Path stateDir, LabState state, Consumer<String> progress) {
        this.docker = docker;
        this.host = host;
        this.stateDir = stateDir;
        this.state = state;
        this.progress = progress;
    }

    // ---------------------------------------------------------------- build

    void build(Lab lab) throws LabException {
        for (Lab.Step step : lab.sandbox()) {
            synchronized (stepLock) {
                if (halted || Thread.currentThread().isInterrupted()) {
                    throw new LabException("interrupted");
                }
                switch (step.kind()) {
                    case NETWORK -> network(lab, step);
                    case IMAGE_TAG -> imageTag(step);
                    case FILE -> file(step);
                    case CERTIFICATES -> certificates(step);
                    case CONTAINER -> container(lab, step, false);
                    case IPTABLES_RULE -> iptablesRule(step);
                    case OUTSIDE_WORLD -> outsideWorld(step);
                    case HAPROXY -> haproxy(step);
                }
            }
        }
    }

    /** Stops the build after the step under way (a signal came) and restores everything built. */
    List<String> haltAndRestore() {
        halted = true;
        synchronized (stepLock) {
            return restore();
        }
    }

    private Map<String, String> labels(Lab lab) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(RunIdentity.LABEL_TOOL, "1");
        labels.put(RunIdentity.LABEL_RUN, "lab-" + state.token);
        labels.put(RunIdentity.LABEL_LAB, lab.id());
        // the owner is the lab, not a process: a sweep of dead runs' leftovers (also by an older
        // triage, which does not know the lab label) sees an owner that is not a process of this host
        labels.put(RunIdentity.LABEL_OWNER, "triage-lab-" + state.token + "/0/0");
        return labels;
    }

    private String name(Lab.Step step) {
        return "triage-lab-" + state.token + "-" + step.name();
    }

    private void record(String kind, Map<String, String> attrs) {
        state.resources.add(new LabState.Resource(kind, attrs));
        state.save(stateDir);
    }

    private void put(Lab.Step step, String key, String value) {
        state.values.put(step.name() + "." + key, value == null ? "" : value);
        state.save(stateDir);
    }

    String resolve(String text) {
        Matcher m = LabParser.PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(state.values.getOrDefault(m.group(1) + "." + m.group(2), "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    private List<String> resolveAll(List<String> texts) {
        return texts.stream().map(this::resolve).toList();
    }

    private void network(Lab lab, Lab.Step step) throws LabException {
        String name = name(step);
        progress.accept("network " + name);
        record("network", Map.of("name", name));
        Map<String, String> options = new LinkedHashMap<>();
        if (step.params().get("options") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> options.put(k.toString(), resolve(v.toString())));
        }
        try {
            docker.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels(lab)).withOptions(options)
                    .withInternal("true".equals(step.text("internal"))).withCheckDuplicate(true).exec();
            Network n = docker.inspectNetworkCmd().withNetworkId(name).exec();
            String bridge = n.getOptions() == null ? null : n.getOptions().get("com.docker.network.bridge.name");
            put(step, "name", name);
            put(step, "bridge", bridge != null ? bridge : "br-" + n.getId().substring(0, 12));
            put(step, "subnet", n.getIpam().getConfig().isEmpty() ? "" : n.getIpam().getConfig().get(0).getSubnet());
        } catch (RuntimeException e) {
            throw new LabException("cannot create network " + name + ": " + e.getMessage());
        }
    }

    private void imageTag(Lab.Step step) throws LabException {
        String from = resolve(step.text("from"));
        String as = resolve(step.text("as"));
        String fromId;
        try {
            fromId = docker.inspectImageCmd(from).exec().getId();
        } catch (NotFoundException e) {
            throw new LabException("the image " + from + " is not on this engine (triage never pulls)");
        }
        try {
            String existing = docker.inspectImageCmd(as).exec().getId();
            if (!existing.equals(fromId)) {
                throw new LabException("a real image " + as + " is on this engine; the lab will not re-tag it");
            }
            put(step, "image", as); // already this image: not ours to remove
            return;
        } catch (NotFoundException e) {
            // free: tag it
        }
        int colon = as.lastIndexOf(':');
        record("image-tag", Map.of("image", as, "id", fromId));
        docker.tagImageCmd(from, as.substring(0, colon), as.substring(colon + 1)).exec();
        put(step, "image", as);
    }

    private Path files() throws LabException {
        Path dir = state.filesDir(stateDir);
        if (!Files.isDirectory(dir)) {
            record("files", Map.of("dir", dir.toString()));
            try {
                LabState.createPrivateDir(dir);
            } catch (IOException e) {
                throw new LabException("cannot create " + dir + ": " + e.getMessage());
            }
        }
        return dir;
    }

    private void file(Lab.Step step) throws LabException {
        Path f = files().resolve(step.text("path")).normalize();
        if (!f.startsWith(files())) {
            throw new LabException("file step '" + step.name() + "' must stay inside the lab's folder");
        }
        try {
            Files.createDirectories(f.getParent());
            Files.writeString(f, resolve(step.text("text")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LabException("cannot write " + f + ": " + e.getMessage());
        }
        put(step, "path", f.toString());
        put(step, "dir", f.getParent().toString());
    }

    private void certificates(Lab.Step step) throws LabException {
        Path dir = files().resolve(step.name());
        String hostname = resolve(step.text("hostname"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("leaf.ext"), "subjectAltName=DNS:" + hostname + ",DNS:localhost,IP:127.0.0.1\n"
                    + "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n");
        } catch (IOException e) {
            throw new LabException("cannot write in " + dir + ": " + e.getMessage());
        }
        String d = dir.toString();
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", d + "/ca-key.pem", "-out", d + "/ca.pem", "-days", "30", "-subj", "/CN=triage lab CA");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", d + "/key.pem", "-out", d + "/leaf.csr", "-subj", "/CN=" + hostname);
        run("openssl", "x509", "-req", "-in", d + "/leaf.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-out", d + "/leaf.pem", "-days", "30", "-extfile", d + "/leaf.ext");
        try {
            Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));
        } catch (IOException e) {
            throw new LabException("cannot write the chain in " + dir + ": " + e.getMessage());
        }
        put(step, "ca", d + "/ca.pem");
        put(step, "key", d + "/key.pem");
        put(step, "chain", d + "/chain.pem");
        put(step, "dir", d);
    }

    /** A container as the step says, or as its compose service says; {@code again}: replace the one there. */
    void container(Lab lab, Lab.Step step, boolean again) throws LabException {
        String name = name(step);
        progress.accept("container " + name);
        String image;
        List<String> env = new ArrayList<>(resolveAll(step.list("env")));
        List<String> mounts = new ArrayList<>(resolveAll(step.list("mounts")));
        Map<String, String> labels = labels(lab);
        if (step.params().get("labels") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> labels.put(k.toString(), resolve(v.toString())));
        }
        if (step.text("compose") != null) {
            ComposeService svc = ComposeService.read(Path.of(resolve(step.text("compose"))), resolve(step.text("service")));
            image = svc.image();
            env.addAll(svc.environment());
            mounts.addAll(svc.volumes());
            labels.putAll(svc.labels());
            labels.put("com.docker.compose.service", svc.service());
            labels.put("com.docker.compose.project.config_files", svc.file().toString());
        } else {
            image = resolve(step.text("image"));
        }
        if (again) {
            removeContainer(name);
        } else {
            record("container", Map.of("name", name));
        }
        List<Bind> binds = new ArrayList<>();
        for (String mount : mounts) {
            String source = mount.substring(0, mount.indexOf(':'));
            try {
                Files.createDirectories(Path.of(source)); // as compose does for a missing bind source
            } catch (IOException e) {
                throw new LabException("cannot create the mount source " + source + ": " + e.getMessage());
            }
            binds.add(Bind.parse(mount));
        }
        HostConfig hc = HostConfig.newHostConfig().withBinds(binds);
        String network = step.text("network") == null ? null : resolve(step.text("network"));
        if (network != null) {
            hc.withNetworkMode(network);
        }
        String publish = step.text("publish");
        int hostPort = 0;
        CreateContainerCmd create = docker.createContainerCmd(image).withName(name).withLabels(labels).withEnv(env);
        if (publish != null) {
            hostPort = again && state.values.containsKey(step.name() + ".port")
                    ? Integer.parseInt(state.values.get(step.name() + ".port")) : freePort();
            ExposedPort port = ExposedPort.tcp(Integer.parseInt(publish));
            Ports ports = new Ports();
            ports.bind(port, Ports.Binding.bindIp("127.0.0.1").bindPort(hostPort));
            hc.withPortBindings(ports);
            create.withExposedPorts(port);
        }
        if (!step.list("command").isEmpty()) {
            create.withCmd(resolveAll(step.list("command")));
        }
        String id;
        try {
            id = create.withHostConfig(hc).exec().getId();
            String desired = step.text("state") == null ? "running" : step.text("state");
            if (!desired.equals("created")) {
                docker.startContainerCmd(id).exec();
            }
            if (step.text("wait-log") != null) {
                waitForLog(id, resolve(step.text("wait-log")));
            }
            if (desired.equals("paused")) {
                docker.pauseContainerCmd(id).exec();
            }
        } catch (NotFoundException e) {
            throw new LabException("cannot create container " + name + ": image " + image + " is not on this engine");
        } catch (RuntimeException e) {
            throw new LabException("cannot create container " + name + ": " + e.getMessage());
        }
        put(step, "name", name);
        put(step, "port", hostPort == 0 ? "" : String.valueOf(hostPort));
        InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
        Map<String, ContainerNetwork> nets = inspected.getNetworkSettings() == null ? null : inspected.getNetworkSettings().getNetworks();
        put(step, "address", nets == null || network == null || nets.get(network) == null ? "" : nets.get(network).getIpAddress());
    }

    private void waitForLog(String id, String text) throws LabException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            CommandResult logs = host.run(CMD, "docker", "logs", id);
            if ((logs.stdout() + logs.stderr()).contains(text)) {
                return;
            }
            sleep(200);
        }
        throw new LabException("the container did not log \"" + text + "\" within 30 s");
    }

    private void iptablesRule(Lab.Step step) throws LabException {
        String table = step.text("table") == null ? "filter" : step.text("table");
        String chain = step.text("chain");
        List<String> rule = resolveAll(step.list("rule"));
        if (rule.stream().anyMatch(String::isEmpty)) {
            throw new LabException("iptables-rule '" + step.name() + "': a word of the rule is empty");
        }
        progress.accept("iptables -t " + table + " -I " + chain + " " + String.join(" ", rule));
        record("iptables-rule", Map.of("table", table, "chain", chain, "rule", String.join("\u001f", rule)));
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table, "-I", chain));
        argv.addAll(rule);
        run(argv);
    }

    private void outsideWorld(Lab.Step step) throws LabException {
        String ns = "triage-lab-" + state.token;
        String tag = state.token.substring(0, 6);
        String hostSide = "tl" + tag + "h";
        String nsSide = "tl" + tag + "n";
        // 198.18.216.0 to 198.18.247.255: apart from the /30s the integration tests pick
        int n = 216 + new SecureRandom().nextInt(32);
        String hostAddress = "198.18." + n + ".1";
        String server = "198.18." + n + ".2";
        String port = step.text("port") == null ? "465" : step.text("port");
        progress.accept("network namespace " + ns + " (" + server + ", no route back)");
        record("outside-world", Map.of("namespace", ns, "device", hostSide));
        run("ip", "netns", "add", ns);
        run("ip", "link", "add", hostSide, "type", "veth", "peer", "name", nsSide);
        run("ip", "link", "set", nsSide, "netns", ns);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostSide);
        run("ip", "link", "set", hostSide, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", server + "/30", "dev", nsSide);
        run("ip", "netns", "exec", ns, "ip", "link", "set", nsSide, "up");
        run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        Path dir = files().resolve(step.name());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LabException("cannot create " + dir + ": " + e.getMessage());
        }
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem", "-days", "30", "-subj", "/CN=smtp.outside.test");
        Process p = detached(List.of("setsid", "ip", "netns", "exec", ns, "openssl", "s_server", "-quiet", "-accept", port,
                "-cert", dir + "/cert.pem", "-key", dir + "/key.pem"), dir.resolve("server.log"));
        record("process", Map.of("pid", String.valueOf(p.pid()), "started", started(p), "command", "s_server"));
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!host.run(CMD, "ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :" + port).stdout().contains(port)) {
            if (System.nanoTime() > end || !p.isAlive()) {
                throw new LabException("the TLS server in " + ns + " did not start (log " + dir.resolve("server.log") + ")");
            }
            sleep(100);
        }
        put(step, "namespace", ns);
        put(step, "device", hostSide);
        put(step, "address", server);
        put(step, "target", server + ":" + port);
    }

    private void haproxy(Lab.Step step) throws LabException {
        Path dir = files().resolve(step.name());
        int port = freePort();
        String backend = resolve(step.text("backend"));
        String send = step.text("send-proxy");
        String sendWord = send == null || send.equals("none") ? "" : " " + send;
        Path cfg = dir.resolve("haproxy.cfg");
        Path pid = dir.resolve("haproxy.pid");
        try {
            Files.createDirectories(dir);
            Files.writeString(cfg, "global\n    log stderr format raw local0\ndefaults\n    mode tcp\n    timeout connect 2s\n"
                    + "    timeout client 20s\n    timeout server 20s\nlisten " + step.name() + "\n    bind 127.0.0.1:" + port
                    + "\n    server s " + backend + sendWord + "\n");
        } catch (IOException e) {
            throw new LabException("cannot write " + cfg + ": " + e.getMessage());
        }
        progress.accept("HAProxy on 127.0.0.1:" + port + " in front of " + backend);
        record("haproxy", Map.of("pidfile", pid.toString(), "config", cfg.toString()));
        run("haproxy", "-D", "-p", pid.toString(), "-f", cfg.toString());
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    throw new LabException("HAProxy does not listen on 127.0.0.1:" + port);
                }
                sleep(100);
            }
        }
        put(step, "address", "127.0.0.1:" + port);
        put(step, "port", String.valueOf(port));
    }

    // ---------------------------------------------------------------- restore

    /** Takes back every recorded resource, newest first; returns what could not be restored. */
    List<String> restore() {
        List<String> problems = new ArrayList<>();
        List<LabState.Resource> reversed = new ArrayList<>(state.resources);
        Collections.reverse(reversed);
        List<String> sandboxNames = sandboxNames(state);
        for (LabState.Resource r : reversed) {
            try {
                restore(r);
            } catch (RuntimeException | LabException e) {
                problems.add(r.kind + " " + r.attrs.values().iterator().next() + ": " + e.getMessage());
            }
        }
        // rules a trainee added by hand that name the sandbox's own bridge or veth go with it
        for (String table : List.of("filter", "nat")) {
            CommandResult rules = host.run(CMD, "iptables", "-w", "5", "-t", table, "-S");
            for (String line : rules.stdout().lines().toList()) {
                if (line.startsWith("-A ") && !line.contains("\"") && sandboxNames.stream().anyMatch(n -> Collateral.mentions(line, n))) {
                    List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table, "-D"));
                    argv.addAll(List.of(line.substring(3).split(" ")));
                    CommandResult r = host.run(CMD, argv);
                    if (!r.ok()) {
                        problems.add("rule " + line + ": " + r.stderr().strip());
                    }
                }
            }
        }
        return problems;
    }

    /** The sandbox's bridges, subnets and veth devices: rules naming them belong to the lab. */
    static List<String> sandboxNames(LabState state) {
        List<String> names = new ArrayList<>();
        state.values.forEach((k, v) -> {
            if (!v.isEmpty() && (k.endsWith(".bridge") || k.endsWith(".subnet") || k.endsWith(".device"))) {
                names.add(v);
            }
        });
        return names;
    }

    private void restore(LabState.Resource r) throws LabException {
        Map<String, String> a = r.attrs;
        switch (r.kind) {
            case "container" -> removeContainer(a.get("name"));
            case "network" -> {
                try {
                    Network n = docker.inspectNetworkCmd().withNetworkId(a.get("name")).exec();
                    if (n.getLabels() != null && ("lab-" + state.token).equals(n.getLabels().get(RunIdentity.LABEL_RUN))) {
                        docker.removeNetworkCmd(n.getId()).exec();
                    }
                } catch (NotFoundException e) {
                    // never created, or gone already
                }
            }
            case "image-tag" -> {
                try {
                    if (docker.inspectImageCmd(a.get("image")).exec().getId().equals(a.get("id"))) {
                        docker.removeImageCmd(a.get("image")).withForce(false).withNoPrune(true).exec();
                    }
                } catch (NotFoundException e) {
                    // untagged already
                }
            }
            case "iptables-rule" -> {
                List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5", "-t", a.get("table"), "-D", a.get("chain")));
                argv.addAll(List.of(a.get("rule").split("\u001f")));
                for (int i = 0; i < 20 && host.run(CMD, argv).ok(); i++) {
                    // every copy: a trainee may have added it again
                }
            }
            case "process" -> stopProcess(Long.parseLong(a.get("pid")), Long.parseLong(a.get("started")), a.get("command"));
            case "haproxy" -> {
                Path pidfile = Path.of(a.get("pidfile"));
                if (Files.isRegularFile(pidfile)) {
                    try {
                        for (String pid : Files.readAllLines(pidfile)) {
                            if (!pid.isBlank()) {
                                stopProcess(Long.parseLong(pid.strip()), 0, a.get("config"));
                            }
                        }
                    } catch (IOException e) {
                        throw new LabException("cannot read " + pidfile + ": " + e.getMessage());
                    }
                }
            }
            case "outside-world" -> {
                if (host.run(CMD, "ip", "netns", "list").stdout().lines().anyMatch(l -> l.split(" ")[0].equals(a.get("namespace")))) {
                    run("ip", "netns", "del", a.get("namespace"));
                }
                // the veth pair goes with the namespace, a moment later; delete it only if it stays
                Path device = Path.of("/sys/class/net", a.get("device"));
                for (int i = 0; i < 20 && Files.exists(device); i++) {
                    sleep(100);
                }
                if (Files.exists(device)) {
                    CommandResult del = host.run(CMD, "ip", "link", "del", a.get("device"));
                    if (!del.ok() && Files.exists(device)) {
                        throw new LabException(del.commandLine() + " failed: " + del.stderr().strip());
                    }
                }
            }
            case "files" -> deleteTree(Path.of(a.get("dir")));
            default -> throw new LabException("unknown resource kind " + r.kind);
        }
    }

    void removeContainer(String name) {
        try {
            InspectContainerResponse c = docker.inspectContainerCmd(name).exec();
            Map<String, String> labels = c.getConfig().getLabels();
            if (labels != null && ("lab-" + state.token).equals(labels.get(RunIdentity.LABEL_RUN))) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
        } catch (NotFoundException e) {
            // never created, or gone already
        }
    }

    /** Stops a process the lab started, only if it is still that process (same start time or command). */
    private static void stopProcess(long pid, long started, String mark) {
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(p -> {
            boolean same = started != 0
                    ? p.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - started) < 2000).orElse(false)
                    : p.info().commandLine().map(c -> c.contains(mark)).orElse(false) || cmdline(pid).contains(mark);
            if (same) {
                p.destroy();
                try {
                    p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            }
        });
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) throws LabException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new LabException("cannot delete " + dir + ": " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- helpers

    private void run(String... argv) throws LabException {
        run(List.of(argv));
    }

    private void run(List<String> argv) throws LabException {
        CommandResult r = host.run(CMD, argv);
        if (!r.ok()) {
            throw new LabException(r.commandLine() + " failed: " + (r.timedOut() ? "timed out" : r.stderr().strip()));
        }
    }

    private Process detached(List<String> argv, Path log) throws LabException {
        List<String> resolved = new ArrayList<>(argv);
        host.which(argv.get(0)).ifPresent(p -> resolved.set(0, p));
        try {
            return new ProcessBuilder(resolved).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new LabException("cannot start " + argv.get(0) + ": " + e.getMessage());
        }
    }

    private static String started(Process p) {
        return String.valueOf(p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L));
    }

    static int freePort() throws LabException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new LabException("no free loopback port: " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
