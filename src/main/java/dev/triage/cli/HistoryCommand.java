package dev.triage.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.fix.FixException;
import dev.triage.fix.Journal;
import dev.triage.report.JsonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List the fixes in the journal, oldest first: each one's id, when it was applied (UTC), its scenario"
                + " and fix, where it stands now, and what it changed (files, rules, settings)."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed (also when the journal is empty)", "1:the journal cannot be read"})
final class HistoryCommand implements Callable<Integer> {
    static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    @ParentCommand
    TriageCommand root;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Journal journal = root.triage().journal();
        Journal.Listing listing;
        try {
            listing = journal.read();
        } catch (FixException e) {
            root.streams().err().println("triage history: " + dev.triage.host.Failures.words(e));
            return 1;
        }
        listing.unreadable().forEach(u -> root.streams().err().println("warning: a journal entry cannot be read and is left out: " + u));
        if (json) {
            ArrayNode list = JsonReport.JSON.createArrayNode();
            for (Journal.Entry e : listing.entries()) {
                ObjectNode n = list.addObject();
                n.put("id", e.id());
                n.put("time", Instant.parse(e.appliedAt()).toString());
                n.put("scenario", e.scenario());
                n.put("verdict", e.verdict());
                n.put("fix", e.fix());
                n.put("title", e.title());
                n.put("state", e.state().json());
                n.put("stateText", e.state().words());
                ArrayNode changes = n.putArray("changes");
                e.steps().forEach(s -> changes.add(s.action().describe()));
                if (e.note() != null) {
                    n.put("note", e.note());
                }
            }
            root.streams().rawOut().println(JsonReport.JSON.writeValueAsString(list));
            return 0;
        }
        if (listing.entries().isEmpty()) {
            root.streams().out().println("No fixes in the journal (" + journal.dir() + ").");
            return 0;
        }
        for (Journal.Entry e : listing.entries()) {
            root.streams().out().println(e.id());
            root.streams().out().println("  applied:  " + UTC.format(Instant.parse(e.appliedAt())));
            root.streams().out().println("  scenario: " + e.scenario() + (e.verdict() == null ? "" : " (verdict " + e.verdict() + ")"));
            root.streams().out().println("  fix:      " + e.fix() + (e.title() == null ? "" : ": " + e.title()));
            root.streams().out().println("  state:    " + e.state().words() + (e.note() == null ? "" : "; " + e.note()));
            if (e.steps().isEmpty()) {
                root.streams().out().println("  changed:  nothing");
            } else {
                root.streams().out().println("  changed:");
                e.steps().forEach(s -> root.streams().out().println("    - " + s.action().describe()));
            }
            if (e.state().open()) {
                root.streams().out().println("  undo:     " + dev.triage.report.Commands.undo(e.id()));
            }
            root.streams().out().println();
        }
        return 0;
    }
}
