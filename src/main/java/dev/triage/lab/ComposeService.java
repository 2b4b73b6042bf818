package dev.triage.lab;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few things of one compose service a lab container is made from: image, environment (with
 * env_file), short-syntax volumes and labels. Enough to recreate a lab's container from its
 * compose file after a fix edited it, as {@code docker compose up -d} would; not a compose engine.
 */
record ComposeService(Path file, String service, String image, List<String> environment, List<String> volumes,
                      Map<String, String> labels) {

    static ComposeService read(Path file, String service) throws LabException {
        Map<?, ?> svc;
        try {
            Object doc = new Yaml(new LoaderOptions()).load(Files.readString(file, StandardCharsets.UTF_8));
            Object services = doc instanceof Map<?, ?> m ? m.get("services") : null;
            svc = services instanceof Map<?, ?> s && s.get(service) instanceof Map<?, ?> one ? one : null;
        } catch (IOException | RuntimeException e) {
            throw new LabException("cannot read the lab's compose file " + file + ": " + e.getMessage());
        }
        if (svc == null || !(svc.get("image") instanceof String image)) {
            throw new LabException(file + " has no service '" + service + "' with an image");
        }
        Path dir = file.getParent();
        List<String> env = new ArrayList<>();
        for (Object f : listOf(svc.get("env_file"))) {
            try {
                dev.triage.host.EnvFile.entries(Files.readString(dir.resolve(f.toString()), StandardCharsets.UTF_8))
                        .forEach((key, value) -> env.add(key + "=" + value));
            } catch (IOException e) {
                throw new LabException("cannot read the env_file " + dir.resolve(f.toString()) + ": " + e.getMessage());
            }
        }
        env.addAll(pairs(svc.get("environment")));
        List<String> volumes = new ArrayList<>();
        for (Object v : listOf(svc.get("volumes"))) {
            String[] parts = v.toString().split(":");
            if (parts.length < 2) {
                continue;
            }
            String source = parts[0].startsWith("./") ? dir.resolve(parts[0].substring(2)).normalize().toString() : parts[0];
            if (!source.startsWith("/")) {
                continue; // a named volume: the labs use none
            }
            volumes.add(trimSlash(source) + ":" + trimSlash(parts[1]) + (parts.length > 2 ? ":" + parts[2] : ""));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : pairs(svc.get("labels"))) {
            int eq = pair.indexOf('=');
            labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new ComposeService(file, service, image, env, volumes, labels);
    }

    private static String trimSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static List<?> listOf(Object o) {
        return o instanceof List<?> l ? l : o == null ? List.of() : List.of(o);
    }

    private static List<String> pairs(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.add(k + "=" + (v == null ? "" : v)));
        } else {
            for (Object item : listOf(o)) {
                if (item.toString().contains("=")) {
                    out.add(item.toString());
                }
            }
        }
        return out;
    }
}
