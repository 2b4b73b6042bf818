package dev.triage.scenario;

import dev.triage.host.HostFiles;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The scenarios a run knows: the ones bundled in the jar (folder {@code scenarios/}) and those in
 * folders the user names. A file that does not validate is left out and its problems kept, so one
 * broken file never hides the others.
 */
public final class ScenarioRepository {
    private final Map<String, Scenario> scenarios;
    private final List<Problem> problems;
    /** Ids that a second file also claimed, with why that file was refused. */
    private final Map<String, String> collisions;

    private ScenarioRepository(Map<String, Scenario> scenarios, List<Problem> problems, Map<String, String> collisions) {
        this.scenarios = scenarios;
        this.problems = problems;
        this.collisions = collisions;
    }

    public static ScenarioRepository load(KindCatalog catalog, List<Path> userDirs) {
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, String> collisions = new LinkedHashMap<>();
        java.util.Set<String> builtIn = new java.util.HashSet<>();
        ScenarioValidator validator = new ScenarioValidator(catalog);
        for (Source source : bundled("scenarios")) {
            add(source, catalog, validator, scenarios, problems, collisions, builtIn);
        }
        for (Path dir : userDirs) {
            if (!Files.isDirectory(dir)) {
                problems.add(new Problem(dir.toString(), 0, "not a directory (scenario folders hold *.yaml files)"));
                continue;
            }
            for (Path file : yamlFiles(dir, problems)) {
                try {
                    add(new Source(file.toString(), HostFiles.readText(file, HostFiles.MAX_SCENARIO, "scenario file"), false),
                            catalog, validator, scenarios, problems, collisions, builtIn);
                } catch (HostFiles.RefusedFileException e) {
                    problems.add(new Problem(file.toString(), 0, e.getMessage()));
                } catch (IOException | RuntimeException e) {
                    problems.add(new Problem(file.toString(), 0, "cannot read: " + dev.triage.host.Failures.words(e)));
                }
            }
        }
        return new ScenarioRepository(Collections.unmodifiableMap(scenarios), List.copyOf(problems),
                Collections.unmodifiableMap(collisions));
    }

    /**
     * Only the bundled file {@code scenarios/ID.yaml}, when it is valid and declares that id: what a
     * run of one scenario needs, without parsing and validating every other file (start-up time).
     * Empty when there is no such file or it is not that scenario; the caller then loads them all,
     * which reports the file's problems and names the known ids.
     */
    public static java.util.Optional<ScenarioRepository> loadBundled(KindCatalog catalog, String id) {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            return java.util.Optional.empty();
        }
        String name = "scenarios/" + id + ".yaml";
        String text;
        try (InputStream in = ScenarioRepository.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                return java.util.Optional.empty();
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        Read parsed = Read.of(catalog, name, text);
        if (parsed.scenario() == null || !parsed.problems().isEmpty() || !id.equals(parsed.scenario().id())
                || !new ScenarioValidator(catalog).validate(parsed.scenario()).isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ScenarioRepository(Map.of(id, parsed.scenario()), List.of(), Map.of()));
    }

    /** A file parsed, its outcome groups replaced by their members (the catalog knows them), and its problems. */
    private record Read(Scenario scenario, List<Problem> problems) {
        static Read of(KindCatalog catalog, String name, String text) {
            ScenarioParser.Parsed parsed = ScenarioParser.parse(name, text);
            List<Problem> problems = new ArrayList<>(parsed.problems());
            Scenario scenario = parsed.scenario() == null ? null : OutcomeGroups.expand(parsed.scenario(), catalog, problems);
            return new Read(scenario, problems);
        }
    }

    /** Parses and validates one file; returns every problem found. */
    public static List<Problem> check(KindCatalog catalog, String file, String text) {
        Read parsed = Read.of(catalog, file, text);
        List<Problem> problems = new ArrayList<>(parsed.problems());
        if (parsed.scenario() != null) {
            problems.addAll(new ScenarioValidator(catalog).validate(parsed.scenario()));
        }
        return problems;
    }

    private static void add(Source source, KindCatalog catalog, ScenarioValidator validator, Map<String, Scenario> scenarios,
                            List<Problem> problems, Map<String, String> collisions, java.util.Set<String> builtIn) {
        Read parsed = Read.of(catalog, source.name(), source.text());
        List<Problem> found = new ArrayList<>(parsed.problems());
        if (parsed.scenario() != null) {
            found.addAll(validator.validate(parsed.scenario()));
        }
        if (!found.isEmpty() || parsed.scenario() == null) {
            problems.addAll(found);
            return;
        }
        // a second file never replaces the first (a built-in above all): the run would silently
        // walk another tree than the one the admin asked for; every command that uses the id refuses
        String id = parsed.scenario().id();
        Scenario previous = scenarios.get(id);
        if (previous != null) {
            String why = "scenario id '" + id + "' of " + source.name() + " is already taken by "
                    + (builtIn.contains(id) ? "the built-in " : "") + previous.source()
                    + "; " + source.name() + " is refused: give it another id";
            problems.add(new Problem(source.name(), 1, why));
            collisions.merge(id, why, (a, b) -> a + "; " + b);
            return;
        }
        scenarios.put(id, parsed.scenario());
        if (source.bundled()) {
            builtIn.add(id);
        }
    }

    public static List<Path> yamlFiles(Path dir, List<Problem> problems) {
        try (Stream<Path> files = Files.list(dir)) {
            // not only regular files: a FIFO or a link to a device named *.yaml is reported, not silently left out
            return files.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .filter(p -> !Files.isDirectory(p)).sorted().toList();
        } catch (IOException e) {
            problems.add(new Problem(dir.toString(), 0, "cannot list: " + e.getMessage()));
            return List.of();
        }
    }

    /** A file's name (as shown in problems), its text, and whether it came with triage. */
    public record Source(String name, String text, boolean bundled) { }

    /**
     * The *.yaml files bundled under {@code folder} (scenarios, labs). They are listed from the class
     * path, which is a folder in tests and a jar when packaged.
     */
    public static List<Source> bundled(String folder) {
        URL url = ScenarioRepository.class.getClassLoader().getResource(folder);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (java.nio.file.FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return readAll(fs.getPath("/" + folder), folder + "/");
            }
            return readAll(Path.of(uri), folder + "/");
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("bundled " + folder + " unreadable: " + e.getMessage(), e);
        }
    }

    private static List<Source> readAll(Path dir, String prefix) throws IOException {
        List<Source> sources = new ArrayList<>();
        for (Path file : yamlFiles(dir, new ArrayList<>())) {
            try (InputStream in = Files.newInputStream(file)) {
                sources.add(new Source(prefix + file.getFileName(), new String(in.readAllBytes(), StandardCharsets.UTF_8), true));
            }
        }
        return sources;
    }

    public Map<String, Scenario> scenarios() { return scenarios; }

    public List<Problem> problems() { return problems; }

    public Scenario get(String id) { return scenarios.get(id); }

    /** Why the id is ambiguous (a second file claims it), if it is: a command that would use it refuses. */
    public java.util.Optional<String> collision(String id) {
        return java.util.Optional.ofNullable(collisions.get(id));
    }

}
