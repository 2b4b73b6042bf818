package dev.triage.lab;

import java.util.List;
import java.util.Map;

/**
 * A training lab, read from a YAML file like a scenario: a sandbox built and broken on purpose
 * (typed steps, never shell strings), the symptom a trainee sees, the verdict a correct diagnosis
 * reaches, a ladder of hints, and the scenario's own fixes that repair it.
 *
 * @param inputs  the scenario inputs, with {@code ${step.value}} placeholders filled at start
 * @param fixes   the reference repair: the scenario's fix ids, applied in this order
 * @param needs   what the lab needs on this machine (checked by {@code lab list} and {@code lab start})
 */
public record Lab(String id, String title, String incident, String scenario, String verdict, String difficulty,
                  String symptom, List<Need> needs, List<Step> sandbox, Map<String, String> inputs,
                  List<String> hints, List<String> fixes, String source) {

    /** One sandbox step: its kind, the name later steps use to refer to it, and its typed parameters. */
    public record Step(StepKind kind, String name, Map<String, Object> params, int line) {
        public String text(String key) {
            Object v = params.get(key);
            return v instanceof String s ? s : null;
        }

        @SuppressWarnings("unchecked")
        public List<String> list(String key) {
            Object v = params.get(key);
            return v instanceof List<?> l ? (List<String>) l : List.of();
        }
    }

    /** Something the machine must have. */
    public enum Need {
        ROOT("root (iptables, network namespaces, sysctls)"),
        PROBE_IMAGE("the probe image redis:7.2-alpine on the engine"),
        MAIL_TEST_IMAGE("the image triage-it/dms-like:13 (.ci/build-mail-test-image.sh)"),
        HAPROXY("HAProxy (/usr/sbin/haproxy, Debian package haproxy)"),
        OPENSSL("openssl (Debian package openssl)"),
        IPTABLES("iptables"),
        IPROUTE("ip (Debian package iproute2)");

        private final String words;

        Need(String words) {
            this.words = words;
        }

        public String words() { return words; }

        public String id() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }

        static Need of(String id) {
            for (Need n : values()) {
                if (n.id().equals(id)) {
                    return n;
                }
            }
            return null;
        }
    }
}
