package dev.triage.fix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

/** Action kinds are declared once (ActionKinds), and the journal's type names come from there. */
class ActionKindsTest {
    private static final Path OLD = Path.of("src/test/resources/journal-old/fixes/20261205-043414-allow-forward-302.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyActionOfAnOldEntryIsWrittenBackAsItWasRead() throws Exception {
        // the names written today are the names old entries carry: read, write, compare field for field
        // kinds added after the old entry have an entry each in journal-kinds/
        List<Path> entries = new ArrayList<>(List.of(OLD));
        try (var files = Files.list(Path.of("src/test/resources/journal-kinds"))) {
            entries.addAll(files.filter(p -> p.toString().endsWith(".json")).sorted().toList());
        }
        Set<String> names = new TreeSet<>();
        for (Path file : entries) {
            JsonNode entry = JSON.readTree(file.toFile());
            for (JsonNode step : entry.get("steps")) {
                JsonNode action = step.get("action");
                names.add(action.get("kind").asText());
                FixAction read = JSON.treeToValue(action, FixAction.class);
                assertEquals(action, JSON.valueToTree(read), action.get("kind").asText());
            }
        }
        assertEquals(new TreeSet<>(ActionKinds.journalTypes().keySet()), names,
                "the old entry and journal-kinds/ have every action type");
    }

    @Test
    void everyActionClassHasAJournalNameAndEveryKindBuildsOneOfThem() throws Exception {
        List<Class<?>> actionClasses = new ArrayList<>();
        try (var files = Files.list(Path.of("target/classes/dev/triage/fix"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName("dev.triage.fix." + name);
                if (FixAction.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                    actionClasses.add(c);
                }
            }
        }
        assertFalse(actionClasses.isEmpty());
        assertEquals(new java.util.HashSet<>(actionClasses), new java.util.HashSet<>(ActionKinds.journalTypes().values()),
                "a new action class needs a journal name in ActionKinds");
        for (String kind : ActionKinds.catalog().keySet()) {
            assertTrue(ActionKinds.journalTypes().containsValue(ActionKinds.get(kind).type()), kind);
        }
    }

    @Test
    void anEntryWithAnActionThisVersionDoesNotKnowIsNamedUnreadableAndTheOthersStillRead() throws Exception {
        Path fixes = Files.createDirectories(dir.resolve("fixes"));
        Files.copy(OLD, fixes.resolve(OLD.getFileName()));
        String unknown = Files.readString(OLD).replace("20261205-043414-allow-forward-302", "20261205-043415-x")
                .replace("\"kind\" : \"module-load\"", "\"kind\" : \"module-unload\"");
        Files.writeString(fixes.resolve("20261205-043415-x.json"), unknown);
        Journal.Listing listing = new Journal(dir).read();
        assertEquals(1, listing.entries().size());
        assertEquals(1, listing.unreadable().size());
        assertTrue(listing.unreadable().get(0).contains("module-unload"), listing.unreadable().toString());
    }

    @Test
    void aNumberThatIsNotOneIsRefusedWithTheParameterAndTheValue() {
        FixException e = assertThrows(FixException.class, () -> new ActionFactory(dir).build("iptables-rule-insert",
                Map.of("binary", "iptables", "chain", "DOCKER-USER", "position", "first", "rule", List.of("-j", "ACCEPT")), "why"));
        assertEquals("refusing the action iptables-rule-insert: position must be a number, not 'first'", e.getMessage());
        FixException handle = assertThrows(FixException.class, () -> new ActionFactory(dir).build("nft-rule-delete",
                Map.of("family", "inet", "table", "filter", "chain", "forward", "handle", "", "rule", "drop"), "why"));
        assertTrue(handle.getMessage().contains("handle must be a number, not ''"), handle.getMessage());
    }

    @Test
    void aRuleGivenAsOneStringIsSplitAtSpacesAndEmptyListItemsAreDropped() throws Exception {
        Map<String, Object> base = Map.of("binary", "iptables", "chain", "DOCKER-USER");
        Map<String, Object> string = new java.util.HashMap<>(base);
        string.put("rule", " -i  br-1 -j ACCEPT ");
        Map<String, Object> list = new java.util.HashMap<>(base);
        list.put("rule", List.of("-i", "", "br-1", "-j", "ACCEPT"));
        for (Map<String, Object> params : List.of(string, list)) {
            IptablesRuleChange r = (IptablesRuleChange) new ActionFactory(dir).build("iptables-rule-delete", params, "why");
            assertEquals(List.of("-i", "br-1", "-j", "ACCEPT"), r.rule());
        }
    }
}
