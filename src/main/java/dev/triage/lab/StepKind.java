package dev.triage.lab;

import java.util.List;
import java.util.Set;

/**
 * The kinds of sandbox step a lab may use. Each takes typed parameters (checked when the file is
 * read) and offers values later steps and the inputs refer to as {@code ${name.value}}.
 */
public enum StepKind {
    /** A bridge network of the lab's own; options are Docker driver options. */
    NETWORK("network", Set.of(), Set.of("options", "internal"), List.of("name", "bridge", "subnet")),
    /** The probe image under another name (a product's image as the scenario sees it); never pulled. */
    IMAGE_TAG("image-tag", Set.of("from", "as"), Set.of(), List.of("image")),
    /** A file in the lab's folder (compose file, env file, config). */
    FILE("file", Set.of("path", "text"), Set.of(), List.of("path", "dir")),
    /** A test CA and a server certificate for a host name, in the lab's folder (openssl). */
    CERTIFICATES("certificates", Set.of("hostname"), Set.of(), List.of("ca", "key", "chain", "dir")),
    /**
     * A container, from an image or from a service of a lab compose file (then recreated from the
     * file by {@code lab check}, as {@code docker compose up -d} would after a fix).
     */
    CONTAINER("container", Set.of(), Set.of("image", "network", "command", "env", "mounts", "publish", "state",
            "compose", "service", "labels", "wait-log"), List.of("name", "address", "port")),
    /** One iptables rule, marked with the lab's comment. */
    IPTABLES_RULE("iptables-rule", Set.of("chain", "rule"), Set.of("table"), List.of()),
    /** A network namespace on 198.18.0.0/15 joined by a veth pair, with a TLS server, and no route back. */
    OUTSIDE_WORLD("outside-world", Set.of(), Set.of("port"), List.of("namespace", "device", "address", "target")),
    /** An HAProxy TCP front, optionally sending a PROXY header. */
    HAPROXY("haproxy", Set.of("backend"), Set.of("send-proxy"), List.of("address", "port"));

    private final String key;
    private final Set<String> required;
    private final Set<String> optional;
    private final List<String> outputs;

    StepKind(String key, Set<String> required, Set<String> optional, List<String> outputs) {
        this.key = key;
        this.required = required;
        this.optional = optional;
        this.outputs = outputs;
    }

    public String key() { return key; }
    public Set<String> required() { return required; }
    public Set<String> optional() { return optional; }
    public List<String> outputs() { return outputs; }

    static StepKind of(String key) {
        for (StepKind k : values()) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
