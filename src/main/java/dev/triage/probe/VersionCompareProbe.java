package dev.triage.probe;

import dev.triage.mail.ReleaseVersion;


/** Compares a release read elsewhere (an image tag) with the first release that has a change. */
public final class VersionCompareProbe implements Probe<VersionCompareProbe.Evidence> {

    public record Evidence(String version, String atLeast, String reading) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("version-compare", Evidence.class)
            .outcomes("at-least", "older", "unknown")
            .fine("at-least")
            .requires("version", "at-least")
            // newest: names that stand for the development head (Mailu's "master"), newer than any release.
            .optional("newest");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String version = params.get("version").strip();
        ReleaseVersion wanted = ReleaseVersion.parse(params.get("at-least"))
                .orElseThrow(() -> new IllegalArgumentException("at-least is not a release number: " + params.get("at-least")));
        if (params.list("newest").contains(version)) {
            return ProbeResult.of("at-least", new Evidence(version, wanted.text(), "development head"),
                    version + " is the development head, newer than " + wanted.text());
        }
        var v = ReleaseVersion.parse(version);
        if (v.isEmpty()) {
            return ProbeResult.of("unknown", new Evidence(version, wanted.text(), "not a release number"),
                    (version.isEmpty() ? "the release is unknown" : "'" + version + "' is not a release number")
                            + ": cannot tell whether it is " + wanted.text() + " or later");
        }
        boolean ok = v.get().atLeast(wanted);
        return ProbeResult.of(ok ? "at-least" : "older", new Evidence(version, wanted.text(), ok ? "at least" : "older"),
                version + (ok ? " is " + wanted.text() + " or later" : " is older than " + wanted.text()));
    }
}
