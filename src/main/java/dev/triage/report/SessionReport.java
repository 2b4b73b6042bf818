package dev.triage.report;

import dev.triage.host.HostFiles;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixPlan;
import dev.triage.scenario.Scenario;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A wizard session as files to attach to a ticket: Markdown for people, JSON (the same document
 * as --json) for tools. Written next to each other, never over an existing file.
 */
public final class SessionReport {

    private SessionReport() { }

    /** What was done after the verdict, in one line each (applied fixes, undos, declines). */
    public record Event(String what, ObjectNode json) { }

    public static String markdown(Scenario scenario, Diagnosis d, List<FixPlan> plans, List<Event> events) {
        return markdown(scenario, d, plans, events, Commands.DEFAULTS);
    }

    /** As above; each available fix with the command that applies it ({@link Commands}). */
    public static String markdown(Scenario scenario, Diagnosis d, List<FixPlan> plans, List<Event> events, Commands commands) {
        StringBuilder md = new StringBuilder();
        md.append("# triage: ").append(scenario.title()).append("\n\n");
        md.append("- scenario: `").append(scenario.id()).append("` (incident ").append(scenario.incident().id()).append(")\n");
        md.append("- when: ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append(" (UTC)\n");
        md.append("- host: ").append(JsonReport.hostName()).append(", triage ").append(JsonReport.version()).append("\n");
        md.append("- inputs: ");
        List<String> inputs = new ArrayList<>();
        d.inputs().forEach((k, v) -> {
            if (!v.isEmpty()) {
                inputs.add("`" + k + "=" + v + "`");
            }
        });
        md.append(inputs.isEmpty() ? "(defaults)" : String.join(", ", inputs)).append("\n\n");
        md.append("## Verdict\n\n");
        d.warnings().forEach(w -> md.append("> **Warning:** ").append(w.replace("\n", " ")).append("\n\n"));
        if (d.verdict() == null) {
            md.append("**inconclusive**: ").append(d.inconclusiveReason()).append("\n\n");
        } else {
            md.append("**").append(d.verdict().id()).append("**: ").append(d.verdict().title()).append(" (")
                    .append(d.verdict().severity().name().toLowerCase(java.util.Locale.ROOT)).append(")\n\n");
            md.append(d.explanation()).append("\n\n");
        }
        md.append("## Tests (the path taken)\n\n| test | outcome | points at the problem | ms | what it found |\n|---|---|---|---|---|\n");
        for (StepResult s : d.steps()) {
            String mark = s.inconclusive() ? "could not run"
                    : dev.triage.engine.ProblemMarks.pointsAtProblem(scenario, d, s.test()) ? "**yes**" : "no";
            md.append("| ").append(s.test()).append(" | ").append(s.outcome()).append(" | ").append(mark).append(" | ")
                    .append(s.millis()).append(" | ").append(cell(s.summary())).append(" |\n");
        }
        if (!plans.isEmpty()) {
            md.append("\n## Fixes offered\n");
            for (FixPlan p : plans) {
                md.append("\n### ").append(p.id()).append(": ").append(p.title()).append(p.available() ? "" : " (not available: "
                        + p.unavailable() + ")").append("\n\n");
                if (p.description() != null) {
                    md.append(p.description()).append("\n\n");
                }
                if (!p.actions().isEmpty()) {
                    md.append("```\n").append(String.join("\n", p.preview())).append("\n```\n");
                }
                if (p.available()) {
                    md.append("\nTo apply it (shows the plan and asks first):\n\n```\n")
                            .append(commands.fix(scenario, d.inputs(), p.id())).append("\n```\n");
                }
            }
        }
        if (!events.isEmpty()) {
            md.append("\n## What was done\n\n");
            events.forEach(e -> md.append("- ").append(e.what()).append("\n"));
        }
        List<String> refs = HumanReport.references(scenario, d);
        if (!refs.isEmpty()) {
            md.append("\n## References\n\n");
            refs.forEach(r -> md.append("- ").append(r).append("\n"));
        }
        return Printable.text(md.toString()); // names, labels and env values from the engine, made printable
    }

    public static ObjectNode json(Scenario scenario, Diagnosis d, List<FixPlan> plans, List<Event> events, Commands commands) {
        ObjectNode doc = JsonReport.diagnosis(scenario, d, plans, List.of(), commands);
        var done = doc.putArray("done");
        events.forEach(e -> {
            ObjectNode n = done.addObject();
            n.put("what", e.what());
            if (e.json() != null) {
                n.set("fix", e.json());
            }
        });
        return doc;
    }

    /**
     * Writes BASE.md and BASE.json (0600, created so) in {@code dir}; refuses to overwrite. Returns
     * both paths. The folder is made if missing; {@code privateFolder}: made (or narrowed to) 0700.
     */
    public static List<Path> save(Path dir, boolean privateFolder, String base, Scenario scenario, Diagnosis d, List<FixPlan> plans,
                                  List<Event> events, Commands commands) throws IOException {
        if (privateFolder) {
            HostFiles.privateDir(dir);
        } else {
            Files.createDirectories(dir);
        }
        Path md = dir.resolve(base + ".md");
        Path json = dir.resolve(base + ".json");
        // 0600 from the start (the plans' diffs may hold secrets), never over a file or a link
        HostFiles.createPrivate(md, markdown(scenario, d, plans, events, commands).getBytes(StandardCharsets.UTF_8));
        try {
            HostFiles.createPrivate(json, (JsonReport.JSON.writeValueAsString(json(scenario, d, plans, events, commands)) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Files.deleteIfExists(md);
            throw e;
        }
        return List.of(md, json);
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
