package dev.triage.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.engine.Diagnosis;
import dev.triage.engine.StepResult;
import dev.triage.fix.FixPlan;
import dev.triage.fix.FixRunner;
import dev.triage.scenario.Scenario;

import java.util.List;
import java.util.Locale;

/** The one JSON document of --json: diagnosis, steps with evidence, offered fixes, fix result. */
public final class JsonReport {
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() { }

    public static ObjectNode diagnosis(Scenario scenario, Diagnosis d, List<FixPlan> plans, List<String> swept) {
        return diagnosis(scenario, d, plans, swept, Commands.DEFAULTS);
    }

    /** As above; each available fix carries the command that applies it ({@link Commands}: this run's inputs and options). */
    public static ObjectNode diagnosis(Scenario scenario, Diagnosis d, List<FixPlan> plans, List<String> swept, Commands commands) {
        ObjectNode root = JSON.createObjectNode();
        // where and when, for a report attached to a ticket
        root.put("host", hostName());
        root.put("triageVersion", version());
        root.put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        root.put("scenario", scenario.id());
        root.put("title", scenario.title());
        root.put("status", d.status().name().toLowerCase(Locale.ROOT));
        root.set("inputs", JSON.valueToTree(d.inputs()));
        ObjectNode verdict = root.putObject("verdict");
        if (d.verdict() != null) {
            verdict.put("id", d.verdict().id());
            verdict.put("title", d.verdict().title());
            verdict.put("healthy", d.verdict().healthy());
            verdict.put("severity", d.verdict().severity().name().toLowerCase(Locale.ROOT));
            verdict.put("explanation", d.explanation());
            verdict.set("references", JSON.valueToTree(d.verdict().references()));
        } else {
            verdict.putNull("id");
            verdict.put("title", "inconclusive");
            verdict.put("healthy", false);
            verdict.put("explanation", d.inconclusiveReason());
        }
        root.put("inconclusiveReason", d.inconclusiveReason());
        root.set("references", JSON.valueToTree(HumanReport.references(scenario, d))); // as the Markdown and the text list them
        root.set("warnings", JSON.valueToTree(d.warnings()));
        ArrayNode steps = root.putArray("steps");
        for (StepResult s : d.steps()) {
            // the same mark every face shows: does this result point at the verdict's problem?
            steps.add(step(s).put("pointsAtProblem", dev.triage.engine.ProblemMarks.pointsAtProblem(scenario, d, s.test())));
        }
        ArrayNode fixes = root.putArray("fixes");
        for (FixPlan p : plans) {
            ObjectNode f = fixes.addObject();
            f.put("id", p.id());
            f.put("title", p.title());
            f.put("description", p.description()); // rendered: a value not given shows as a marker, never as nothing
            f.put("available", p.available());
            if (!p.available()) {
                f.put("unavailable", p.unavailable());
            } else {
                f.put("command", commands.fix(scenario, d.inputs(), p.id()));
            }
            f.set("preview", JSON.valueToTree(p.actions().isEmpty() ? List.of() : p.preview())); // shown-only plans too
        }
        root.put("millis", d.millis());
        root.set("sweptLeftovers", JSON.valueToTree(swept));
        return root;
    }

    /** This build's version (the jar's triage-version.properties), "unknown" when run from classes without it. */
    public static String version() {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = JsonReport.class.getResourceAsStream("/triage-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (java.io.IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** The kernel's host name, read locally (never a name lookup, which could ask a DNS server). */
    public static String hostName() {
        for (String f : List.of("/proc/sys/kernel/hostname", "/etc/hostname")) {
            try {
                String name = java.nio.file.Files.readString(java.nio.file.Path.of(f)).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the next source
            }
        }
        return "unknown";
    }

    public static ObjectNode step(StepResult s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("test", s.test());
        n.put("title", s.title());
        n.put("probe", s.probe());
        n.put("outcome", s.outcome());
        n.put("millis", s.millis());
        n.put("summary", s.summary());
        n.set("evidence", JSON.valueToTree(s.evidence()));
        if (s.error() != null) {
            n.put("error", s.error());
        }
        n.put("next", s.next());
        n.set("warnings", JSON.valueToTree(s.warnings()));
        return n;
    }

    /** The JSON of one step of the fix flow; null for a follow-up still to do (said in the report). */
    public static ObjectNode fix(dev.triage.fix.flow.FixResult r) {
        if (r instanceof dev.triage.fix.flow.FixResult.NotOffered n) {
            return fix(n.plan(), null, n.why());
        } else if (r instanceof dev.triage.fix.flow.FixResult.DryRun) {
            return fix(r.plan(), null, "dry run");
        } else if (r instanceof dev.triage.fix.flow.FixResult.NoOneToAsk) {
            return fix(r.plan(), null, dev.triage.fix.flow.FixResult.NoOneToAsk.WHY);
        } else if (r instanceof dev.triage.fix.flow.FixResult.Declined) {
            return fix(r.plan(), null, "declined");
        } else if (r instanceof dev.triage.fix.flow.FixResult.NotApplied n) {
            return fix(r.plan(), null, n.error());
        } else if (r instanceof dev.triage.fix.flow.FixResult.NothingToChange n) {
            return fix(r.plan(), n.outcome(), null);
        } else if (r instanceof dev.triage.fix.flow.FixResult.RolledBack b) {
            return fix(r.plan(), b.outcome(), null);
        } else if (r instanceof dev.triage.fix.flow.FixResult.Applied a) {
            return fix(r.plan(), a.outcome(), null);
        }
        return null; // StillToDo: no document of its own
    }

    public static ObjectNode fix(FixPlan plan, FixRunner.Outcome o, String declined) {
        ObjectNode f = JSON.createObjectNode();
        f.put("id", o == null ? null : o.journalId());
        f.put("plan", plan == null ? null : plan.id());
        f.put("applied", o != null && o.applied());
        f.put("verified", o != null && o.verified());
        f.put("rolledBack", o != null && o.rolledBack());
        f.put("nothingToChange", o != null && o.nothingToChange());
        f.put("changes", o == null ? 0 : o.changes());
        if (o != null && o.verification() != null) {
            f.set("verification", step(o.verification()));
        }
        if (o != null && o.error() != null) {
            f.put("error", o.error());
        }
        if (declined != null) {
            f.put("notApplied", declined);
        }
        return f;
    }
}
