package dev.triage.scenario;

import dev.triage.app.Catalog;
import dev.triage.app.Triage;
import dev.triage.probe.ProbeRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A run of one scenario reads only its bundled file: that is only the same as loading them all
 * while every bundled file is named after its id (then no two bundled files can claim one id).
 */
class SingleScenarioLoadTest {
    private static final KindCatalog CATALOG = new Catalog(ProbeRegistry.standard());

    @Test
    void everyBundledFileIsNamedAfterItsId() {
        List<ScenarioRepository.Source> sources = ScenarioRepository.bundled("scenarios");
        assertFalse(sources.isEmpty());
        for (ScenarioRepository.Source s : sources) {
            ScenarioParser.Parsed parsed = ScenarioParser.parse(s.name(), s.text());
            assertNotNull(parsed.scenario(), s.name());
            assertEquals("scenarios/" + parsed.scenario().id() + ".yaml", s.name(), "a bundled scenario's file name is its id");
        }
    }

    @Test
    void oneBundledScenarioIsTheSameAsInTheFullLoad() {
        ScenarioRepository all = ScenarioRepository.load(CATALOG, List.of());
        assertTrue(all.problems().isEmpty(), all.problems().toString());
        for (String id : all.scenarios().keySet()) {
            ScenarioRepository one = ScenarioRepository.loadBundled(CATALOG, id).orElseThrow(() -> new AssertionError(id));
            assertEquals(List.of(id), List.copyOf(one.scenarios().keySet()));
            Scenario a = all.get(id);
            Scenario b = one.get(id);
            assertEquals(a.title(), b.title());
            assertEquals(a.tests().keySet(), b.tests().keySet());
            assertEquals(a.verdicts().keySet(), b.verdicts().keySet());
            assertEquals(a.inputs().size(), b.inputs().size());
            assertTrue(one.collision(id).isEmpty());
        }
    }

    @Test
    void anythingElseIsLeftToTheFullLoad() {
        assertTrue(ScenarioRepository.loadBundled(CATALOG, "no-such-scenario").isEmpty());
        assertTrue(ScenarioRepository.loadBundled(CATALOG, "../pom").isEmpty());
        assertTrue(ScenarioRepository.loadBundled(CATALOG, "Bridge-Intercontainer").isEmpty());
        assertTrue(ScenarioRepository.loadBundled(CATALOG, "").isEmpty());
        assertTrue(ScenarioRepository.loadBundled(CATALOG, null).isEmpty());
    }

    @Test
    void triageReadsOneFileWithoutFoldersAndAllWithThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Triage plain = new Triage(Map.of(), List.of());
        assertEquals(List.of("bridge-intercontainer"),
                List.copyOf(plain.scenariosFor("bridge-intercontainer").scenarios().keySet()));
        // an unknown id gets every scenario, for "did you mean" and the list of known ids
        assertTrue(plain.scenariosFor("bridge-intercontainr").scenarios().size() > 1);

        // a folder may claim a bundled id: only the full load sees that collision, so it is used
        String bundled = ScenarioRepository.bundled("scenarios").stream()
                .filter(s -> s.name().equals("scenarios/bridge-intercontainer.yaml")).findFirst().orElseThrow().text();
        Files.writeString(dir.resolve("mine.yaml"), bundled);
        Triage withFolder = new Triage(Map.of(), List.of(dir));
        assertTrue(withFolder.scenariosFor("bridge-intercontainer").collision("bridge-intercontainer").isPresent());
    }
}
