package dev.triage.probe;

import com.github.dockerjava.api.exception.NotFoundException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import dev.triage.host.HostFiles;
import java.nio.file.Path;

/**
 * One environment variable as the mail server sees it: from the container's environment when a
 * container is named (what really runs), else from an env file (mailu.env, mailserver.env).
 */
public final class EnvValueProbe implements Probe<EnvValueProbe.Evidence> {
    private static final long MAX_FILE = 1 << 20;

    public record Evidence(String key, String value, String source, int occurrences) { }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("env-value", Evidence.class)
            .outcomes("set", "unset", "no-source", "unreadable")
            .requires("key")
            .optional("container", "file");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        String key = params.get("key");
        String container = params.get("container");
        String file = params.get("file");
        Found found;
        String source;
        if (!container.isEmpty()) {
            String[] env;
            try {
                env = context.docker().client().inspectContainerCmd(container).exec().getConfig().getEnv();
            } catch (NotFoundException e) {
                return ProbeResult.of("unreadable", new Evidence(key, "", "container " + container, 0),
                        "container " + container + " is gone");
            }
            found = inEnvironment(env, key);
            source = "the environment of container " + container;
        } else if (!file.isEmpty()) {
            String text;
            try {
                // a FIFO or /dev/zero is refused before it is opened; reading stops at the time limit
                text = new String(HostFiles.read(Path.of(file), MAX_FILE, "env file", context.deadline()), StandardCharsets.UTF_8);
            } catch (HostFiles.RefusedFileException e) {
                return ProbeResult.of("unreadable", new Evidence(key, "", file, 0), e.getMessage());
            } catch (IOException e) {
                return ProbeResult.of("unreadable", new Evidence(key, "", file, 0), "cannot read " + file + ": " + e.getMessage());
            }
            found = inFile(text, key);
            source = file;
        } else {
            return ProbeResult.of("no-source", new Evidence(key, "", "", 0), "neither a container nor an env file to read " + key + " from");
        }
        String value = found.value();
        int count = found.count();
        if (value == null || value.isEmpty()) {
            // KEY= is what "unset" looks like in an env file, and what the programs reading it treat as unset
            return ProbeResult.of("unset", new Evidence(key, "", source, count), key + (value == null ? " is not set" : " is empty")
                    + " in " + source);
        }
        return ProbeResult.of("set", new Evidence(key, value, source, count), key + "=" + value + " in " + source
                + (count > 1 ? " (set " + count + " times; the last wins)" : ""));
    }

    /** A key's value (null when absent) and how many times it was set. */
    record Found(String value, int count) { }

    /**
     * The engine's environment is a list of KEY=VALUE entries, each whole: a value may hold a newline
     * ("FOO=x\nONE_DIR=1" is FOO's value, not a second variable), quotes and spaces, all literal.
     */
    static Found inEnvironment(String[] env, String key) {
        String value = null;
        int count = 0;
        for (String entry : env == null ? new String[0] : env) {
            if (entry != null && entry.startsWith(key + "=")) {
                value = entry.substring(key.length() + 1);
                count++;
            }
        }
        return new Found(value, count);
    }

    /** An env file, read as {@link dev.triage.host.EnvFile} reads every one. */
    static Found inFile(String text, String key) {
        dev.triage.host.EnvFile.Found found = dev.triage.host.EnvFile.lookup(text, key);
        return new Found(found.value(), found.count());
    }
}
