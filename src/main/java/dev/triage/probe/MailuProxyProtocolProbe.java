package dev.triage.probe;

import dev.triage.mail.MailuProxyProtocol;

import java.util.List;

/** Which ports Mailu's front expects a PROXY header on, from PROXY_PROTOCOL; port 25 is the incident's. */
public final class MailuProxyProtocolProbe implements Probe<MailuProxyProtocolProbe.Evidence> {

    public record Evidence(String value, List<Integer> ports, boolean port25, String without25, boolean needs202406,
                           String error) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("mailu-proxy-protocol", Evidence.class)
            .outcomes("off", "port25-proxied", "port25-not-proxied", "invalid")
            .fine("off", "port25-not-proxied")
            .requires("value")
            // release: the version-compare outcome against 2024.06.0 (older = 2.0 grammar only).
            .optional("release");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String value = params.get("value");
        List<Integer> ports;
        try {
            ports = MailuProxyProtocol.ports(value);
        } catch (IllegalArgumentException e) {
            return ProbeResult.of("invalid", new Evidence(value, List.of(), false, "", false, e.getMessage()),
                    "PROXY_PROTOCOL=" + value + ": " + e.getMessage());
        }
        if ("older".equals(params.get("release")) && MailuProxyProtocol.needs202406(value)) {
            String why = "'" + value + "' is 2024.06 syntax (port lists, all-but-http); Mailu 2.0 takes only http, mail or all";
            return ProbeResult.of("invalid", new Evidence(value, ports, ports.contains(25), "", true, why), "PROXY_PROTOCOL=" + value
                    + ": " + why);
        }
        boolean port25 = ports.contains(25);
        Evidence e = new Evidence(value, ports, port25, MailuProxyProtocol.without25(value, false),
                MailuProxyProtocol.needs202406(value), null);
        if (ports.isEmpty()) {
            return ProbeResult.of("off", e, "PROXY_PROTOCOL is off: no port expects a PROXY header");
        }
        return ProbeResult.of(port25 ? "port25-proxied" : "port25-not-proxied", e, "PROXY_PROTOCOL=" + value
                + " covers ports " + ports + (port25 ? ", 25 included" : ", not 25"));
    }
}
