package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.triage.mail.PostfixMasterOverrides;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints docker-mailserver's {@code postfix-master.cf} overrides: lines still naming the service
 * {@code smtps} (renamed {@code submissions} in v13.0.0, so they match nothing), malformed lines,
 * and PROXY settings that cover 25/587 but not 465. With a Dovecot config it also checks that
 * listeners with {@code haproxy = yes} have {@code haproxy_trusted_networks}. Reads files only.
 */
public final class PostfixMasterCfProbe implements Probe<PostfixMasterCfProbe.Evidence> {
    private static final long MAX_BYTES = 1 << 20;
    private static final Pattern DOVECOT_SETTING = Pattern.compile("^\\s*(haproxy|haproxy_trusted_networks)\\s*=\\s*(.*?)\\s*$",
            Pattern.MULTILINE);

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped MasterCf masterCf, List<String> problems, String error,
                           @JsonUnwrapped Dovecot dovecot) {
        public Evidence {
            masterCf = masterCf == null ? MasterCf.notRead(null) : masterCf;
            dovecot = dovecot == null ? new Dovecot(null, null, null) : dovecot;
        }
    }

    /** The overrides file: how many lines, which name smtps or set PROXY, which are not overrides at all. */
    public record MasterCf(String file, int overrides, List<String> smtpsLines, List<String> proxyLines,
                           boolean submissionsProxy, List<String> malformed) {
        static MasterCf notRead(String file) {
            return new MasterCf(file, 0, List.of(), List.of(), false, List.of());
        }
    }

    /** Dovecot's PROXY settings, when its config was given (null: not read). */
    public record Dovecot(String dovecotFile, Boolean dovecotHaproxy, String dovecotTrustedNetworks) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("postfix-master-cf", Evidence.class)
            .outcomes("not-given", "unreadable", "smtps-proxy", "smtps-lines", "malformed", "proxy-not-on-465",
                    "clean")
            .fine("clean", "not-given")
            .requires("file")
            .optional("dovecot-conf");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) {
        String file = params.get("file");
        List<String> problems = new ArrayList<>();
        String dovecotFile = params.get("dovecot-conf");
        Boolean haproxy = null;
        String trusted = null;
        if (!dovecotFile.isEmpty()) {
            try {
                String conf = read(Path.of(dovecotFile), "Dovecot config", context);
                Matcher m = DOVECOT_SETTING.matcher(conf);
                haproxy = false;
                trusted = "";
                while (m.find()) {
                    if (m.group(1).equals("haproxy")) {
                        haproxy |= m.group(2).equalsIgnoreCase("yes");
                    } else {
                        trusted = m.group(2);
                    }
                }
                if (haproxy && trusted.isBlank()) {
                    problems.add(dovecotFile + ": listeners have haproxy = yes but haproxy_trusted_networks is empty, so"
                            + " Dovecot rejects every PROXY header; set it to the proxy's address");
                }
            } catch (IOException e) {
                problems.add("cannot read " + dovecotFile + ": " + e.getMessage());
            }
        }
        Dovecot dovecot = new Dovecot(dovecotFile, haproxy, trusted);
        if (file.isEmpty()) {
            return ProbeResult.of("not-given", new Evidence(MasterCf.notRead(""), problems, null, dovecot),
                    "no postfix-master.cf given: skipped");
        }
        String text;
        try {
            text = read(Path.of(file), "postfix-master.cf", context);
        } catch (IOException e) {
            return ProbeResult.of("unreadable", new Evidence(MasterCf.notRead(file), problems, e.getMessage(), dovecot),
                    "cannot read " + file + ": " + e.getMessage());
        }
        var parsed = PostfixMasterOverrides.parse(text);
        List<String> smtps = new ArrayList<>();
        List<String> proxy = new ArrayList<>();
        boolean smtpsProxy = false;
        boolean submissionsProxy = false;
        for (var o : parsed.overrides()) {
            if (o.service().equals("smtps")) {
                smtps.add(o.where());
                smtpsProxy |= o.setsProxy();
            }
            if (o.setsProxy()) {
                proxy.add(o.where());
                submissionsProxy |= o.service().equals("submissions");
            }
        }
        if (!smtps.isEmpty()) {
            problems.add(smtps.size() + " line(s) name the service smtps, which docker-mailserver v13+ calls submissions:"
                    + " they match nothing and are ignored (" + String.join("; ", smtps) + ")");
        }
        if (!parsed.malformed().isEmpty()) {
            problems.add("not service/type/parameter=value: " + String.join("; ", parsed.malformed()));
        }
        boolean notOn465 = !proxy.isEmpty() && !submissionsProxy && !smtpsProxy;
        if (notOn465) {
            problems.add("PROXY is configured for " + proxy.size() + " service(s) but not for submissions (465): "
                    + String.join("; ", proxy));
        }
        String outcome = smtpsProxy ? "smtps-proxy" : !smtps.isEmpty() ? "smtps-lines"
                : !parsed.malformed().isEmpty() ? "malformed" : notOn465 ? "proxy-not-on-465" : "clean";
        Evidence e = new Evidence(new MasterCf(file, parsed.overrides().size(), smtps, proxy, submissionsProxy,
                parsed.malformed()), problems, null, dovecot);
        return ProbeResult.of(outcome, e, file + ": " + parsed.overrides().size() + " override(s)"
                + (problems.isEmpty() ? ", nothing wrong" : "; " + String.join("; ", problems)));
    }

    /** A regular file of at most 1 MiB, read only until the probe's time limit. */
    private static String read(Path path, String what, ProbeContext context) throws IOException {
        return new String(dev.triage.host.HostFiles.read(path, MAX_BYTES, what, context.deadline()), StandardCharsets.UTF_8);
    }
}
