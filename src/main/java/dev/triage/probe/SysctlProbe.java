package dev.triage.probe;


/** Reads one kernel setting from /proc/sys and compares it with the value the tree expects. */
public final class SysctlProbe implements Probe<SysctlProbe.Evidence> {

    public record Evidence(String key, String path, String value, String expected) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("sysctl", Evidence.class)
            .outcomes("expected", "different", "absent")
            .fine("expected")
            .requires("key", "expect");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String key = params.get("key");
        if (!key.matches("[a-z0-9_.-]+(/[a-z0-9_.-]+)*") || key.contains("..")) {
            throw new IllegalArgumentException("not a sysctl key: " + key);
        }
        String path = "/proc/sys/" + key.replace('.', '/');
        String expected = params.get("expect");
        return context.host().readValue(path)
                .map(value -> value.equals(expected)
                        ? ProbeResult.of("expected", new Evidence(key, path, value, expected), key + " = " + value)
                        : ProbeResult.of("different", new Evidence(key, path, value, expected),
                                key + " = " + value + " (expected " + expected + ")"))
                .orElseGet(() -> ProbeResult.of("absent", new Evidence(key, path, null, expected),
                        path + " does not exist"));
    }
}
