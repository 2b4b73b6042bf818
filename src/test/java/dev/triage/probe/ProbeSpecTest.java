package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeSpecTest {
    record Part(String a, int b) { }

    record Ev(String first, @JsonUnwrapped Part part, String last) { }

    @Test
    void declaresOnceInOrder() {
        ProbeSpec<Ev> spec = ProbeSpec.of("demo", Ev.class).outcomes("up", "down", "gone").fine("up")
                .requires("target").optional("tls", "connect-timeout");
        assertEquals("demo", spec.kind());
        assertEquals(List.of("up", "down", "gone"), List.copyOf(spec.outcomes()));
        assertEquals(Set.of("up"), spec.fineOutcomes());
        assertEquals(Set.of("target"), spec.requiredParams());
        assertEquals(List.of("tls", "connect-timeout"), List.copyOf(spec.optionalParams()));
        assertEquals(Ev.class, spec.evidenceType());
    }

    @Test
    void evidenceFieldsAreTheJsonOnes() {
        assertEquals(List.of("first", "a", "b", "last"), List.copyOf(ProbeSpec.of("demo", Ev.class).evidenceFields()));
    }

    @Test
    void mistakesFailLoudly() {
        ProbeSpec<Ev> base = ProbeSpec.of("demo", Ev.class).outcomes("up", "down");
        assertThrows(IllegalArgumentException.class, () -> base.fine("sideways"));
        assertThrows(IllegalArgumentException.class, () -> base.outcomes("up", ProbeResult.INCONCLUSIVE));
        assertThrows(IllegalArgumentException.class, () -> base.outcomes("up", "up"));
        assertThrows(IllegalArgumentException.class, () -> base.requires("x").optional("x"));
        assertThrows(IllegalArgumentException.class, () -> ProbeSpec.of("", Ev.class));
    }

    /** Each kind is declared by one class, and every spec holds together (they load with their class). */
    @Test
    void everyStandardProbeHasASpec() {
        for (Probe<?> p : ProbeRegistry.standard().all()) {
            ProbeSpec<?> spec = p.spec();
            assertTrue(spec.outcomes().containsAll(spec.fineOutcomes()), spec.kind());
            assertTrue(!spec.evidenceFields().isEmpty(), spec.kind());
        }
    }

    @Test
    void groupsNameSeveralOutcomesAndRefuseMistakes() {
        ProbeSpec<Ev> base = ProbeSpec.of("demo", Ev.class).outcomes("up", "down", "gone");
        ProbeSpec<Ev> grouped = base.group("not-up", "down", "gone").fine("up").requires("target");
        assertEquals(List.of("down", "gone"), List.copyOf(grouped.groups().get("not-up")));
        assertThrows(IllegalArgumentException.class, () -> base.group("not-up", "down", "sideways"));
        assertThrows(IllegalArgumentException.class, () -> base.group("up", "down", "gone"));
        assertThrows(IllegalArgumentException.class, () -> base.group("lonely", "down"));
        assertThrows(IllegalArgumentException.class, () -> base.group("*", "down", "gone"));
        assertThrows(IllegalArgumentException.class, () -> grouped.group("not-up", "up", "down"));
    }
}
