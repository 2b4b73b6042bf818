package dev.triage.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetworkSettings;
import com.github.dockerjava.api.model.Network;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine has that an admin may name in a form: containers, networks and compose projects
 * (from the labels compose puts on its containers). Read only; triage's own probe objects are left out.
 */
public final class EngineObjects {
    public static final String PROJECT = "com.docker.compose.project";
    public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
    public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
    public static final String ENVIRONMENT_FILE = "com.docker.compose.project.environment_file";

    /** One thing to choose: its name and a few words about it (state, image, folder). */
    public record Item(String name, String about) { }

    /** A compose project as its containers' labels describe it; empty strings where a label is missing. */
    public record ComposeProject(String name, String configFiles, String workingDir, String environmentFile,
                                 List<String> networks) { }

    private EngineObjects() { }

    public static List<Item> containers(DockerClient client) {
        List<Item> out = new ArrayList<>();
        for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
            if (ours(c.getLabels()) || c.getNames() == null || c.getNames().length == 0) {
                continue;
            }
            String project = c.getLabels() == null ? null : c.getLabels().get(PROJECT);
            out.add(new Item(c.getNames()[0].replaceFirst("^/", ""), String.join(", ", nonEmpty(
                    c.getState(), c.getImage(), project == null ? "" : "compose project " + project))));
        }
        out.sort(java.util.Comparator.comparing(Item::name));
        return out;
    }

    public static List<Item> networks(DockerClient client) {
        List<Item> out = new ArrayList<>();
        for (Network n : client.listNetworksCmd().exec()) {
            if (ours(n.getLabels()) || List.of("host", "none").contains(n.getName())) {
                continue;
            }
            String project = n.getLabels() == null ? null : n.getLabels().get(PROJECT);
            out.add(new Item(n.getName(), String.join(", ", nonEmpty(n.getDriver(),
                    project == null ? "" : "compose project " + project))));
        }
        out.sort(java.util.Comparator.comparing(Item::name));
        return out;
    }

    /** The compose projects of the engine's containers, by name. */
    public static Map<String, ComposeProject> composeProjects(DockerClient client) {
        Map<String, Map<String, String>> labels = new TreeMap<>();
        Map<String, List<String>> networks = new LinkedHashMap<>();
        for (Container c : client.listContainersCmd().withShowAll(true).exec()) {
            Map<String, String> l = c.getLabels();
            if (l == null || ours(l) || l.get(PROJECT) == null) {
                continue;
            }
            String name = l.get(PROJECT);
            labels.merge(name, l, (a, b) -> a);
            List<String> nets = networks.computeIfAbsent(name, k -> new ArrayList<>());
            ContainerNetworkSettings settings = c.getNetworkSettings();
            if (settings != null && settings.getNetworks() != null) {
                settings.getNetworks().keySet().stream().filter(n -> !nets.contains(n)).sorted().forEach(nets::add);
            }
        }
        Map<String, ComposeProject> out = new LinkedHashMap<>();
        labels.forEach((name, l) -> out.put(name, new ComposeProject(name, l.getOrDefault(CONFIG_FILES, ""),
                l.getOrDefault(WORKING_DIR, ""), l.getOrDefault(ENVIRONMENT_FILE, ""), networks.getOrDefault(name, List.of()))));
        return out;
    }

    /** A probe object of a triage run (a lab's sandbox is the admin's to name). */
    private static boolean ours(Map<String, String> labels) {
        return labels != null && labels.containsKey(RunIdentity.LABEL_TOOL) && !labels.containsKey(RunIdentity.LABEL_LAB);
    }

    private static List<String> nonEmpty(String... parts) {
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                out.add(p);
            }
        }
        return out;
    }
}
