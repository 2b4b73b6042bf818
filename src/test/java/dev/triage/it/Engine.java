package dev.triage.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Docker engine an integration test runs against. {@link #HOST} is the machine's own engine;
 * {@link #docker28()} is Debian sid's Docker 28 of the test bed (.ci/docker28.sh), which runs in a
 * network namespace of its own: triage, iptables, nft and sysctl writes then run inside that
 * namespace (as they would on a host running that engine) and docker talks to its socket.
 */
record Engine(String name, String netns, String dockerHost, String noRawSwitch) {
    static final Engine HOST = new Engine("host", null, null, null);

    /** The test bed's Docker 28 as .ci/docker28.sh env describes it, or null when it is not set up. */
    static Engine docker28() {
        String ns = System.getenv("TRIAGE_DOCKER28_NETNS");
        String host = System.getenv("TRIAGE_DOCKER28_HOST");
        if (ns == null || ns.isBlank() || host == null || host.isBlank()) {
            return null;
        }
        return new Engine("docker28", ns, host, System.getenv("TRIAGE_DOCKER28_NO_RAW_SWITCH"));
    }

    boolean isHost() {
        return netns == null;
    }

    /** The docker CLI aimed at this engine. */
    List<String> docker(String... args) {
        List<String> argv = new ArrayList<>(isHost() ? List.of("docker") : List.of("docker", "-H", dockerHost));
        argv.addAll(List.of(args));
        return argv;
    }

    /** The same, as words for a shell pipeline the test writes itself. */
    String dockerShell() {
        return isHost() ? "docker" : "docker -H " + dockerHost;
    }

    /** A command run where this engine's bridges and firewall live. */
    List<String> inNetns(List<String> argv) {
        if (isHost()) {
            return argv;
        }
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        all.addAll(argv);
        return all;
    }

    List<String> inNetns(String... argv) {
        return inNetns(List.of(argv));
    }

    /** The environment triage needs to reach this engine (nothing for the host's default socket). */
    void addTo(Map<String, String> env) {
        if (!isHost()) {
            env.put("DOCKER_HOST", dockerHost);
        }
    }

    /**
     * Docker's own ACCEPT for new connections leaving a bridge, as {chain, rule...}: 20.10 writes one
     * to the same bridge and one out of it in FORWARD; 28 writes one "-i BRIDGE" in DOCKER-FORWARD.
     */
    List<String> dockerAccept(String bridge, boolean sameBridge) {
        if (isHost()) {
            return sameBridge ? List.of("FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT")
                    : List.of("FORWARD", "-i", bridge, "!", "-o", bridge, "-j", "ACCEPT");
        }
        return List.of("DOCKER-FORWARD", "-i", bridge, "-j", "ACCEPT");
    }

    /** Where Docker puts its enable_icc=false drop. */
    String iccChain() {
        return isHost() ? "FORWARD" : "DOCKER-FORWARD";
    }

    @Override
    public String toString() {
        return name;
    }
}
