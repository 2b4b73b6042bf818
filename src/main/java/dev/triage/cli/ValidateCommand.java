package dev.triage.cli;

import dev.triage.host.HostFiles;
import dev.triage.scenario.Problem;
import dev.triage.scenario.ScenarioRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check scenario files and print each problem as file:line: message.",
                "Without a PATH it checks the bundled scenarios and those of --scenarios."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:all valid", "1:problems found", "64:usage error"})
final class ValidateCommand implements Callable<Integer> {
    @ParentCommand
    TriageCommand root;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Scenario files or folders of *.yaml files.")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
        List<Problem> problems = new ArrayList<>();
        int files = 0;
        if (paths.isEmpty()) {
            problems.addAll(root.triage().scenarios().problems());
            files = root.triage().scenarios().scenarios().size();
        }
        for (Path path : paths) {
            List<Path> targets = new ArrayList<>();
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(p -> p.toString().matches(".*\\.ya?ml")).sorted().forEach(targets::add);
                } catch (IOException e) {
                    problems.add(new Problem(path.toString(), 0, "cannot list: " + dev.triage.host.Failures.words(e)));
                }
            } else {
                targets.add(path);
            }
            for (Path file : targets) {
                files++;
                try {
                    // a FIFO, a device or a huge file is refused before it is opened or read
                    problems.addAll(ScenarioRepository.check(root.triage().catalog(), file.toString(),
                            HostFiles.readText(file, HostFiles.MAX_SCENARIO, "scenario file")));
                } catch (HostFiles.RefusedFileException e) {
                    problems.add(new Problem(file.toString(), 0, e.getMessage()));
                } catch (IOException e) {
                    problems.add(new Problem(file.toString(), 0, "cannot read: " + dev.triage.host.Failures.words(e)));
                }
            }
        }
        problems.forEach(root.streams().out()::println);
        root.streams().err().println(files + " file(s) checked, " + problems.size() + " problem(s)");
        return problems.isEmpty() ? 0 : 1;
    }
}
