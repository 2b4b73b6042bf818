package dev.triage.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendered text never holds an empty placeholder: a value not given or not found is a visible marker. */
class PlaceholderMarkersTest {
    private static final Map<String, Map<String, Object>> EVIDENCE = Map.of("t", Map.of("empty", "", "list", List.of(), "v", "x"));

    @Test
    void emptyInputsAndFieldsRenderAsMarkers() {
        Map<String, String> inputs = Map.of("dir", "");
        assertEquals("mkdir -p <dir: not given> && cp -a x/. <dir: not given>/",
                Placeholders.renderLenient("mkdir -p ${input.dir} && cp -a ${t.v}/. ${input.dir}/", inputs, EVIDENCE));
        assertEquals("[<empty: none>] [<list: none>] [<other: not given>]",
                Placeholders.renderLenient("[${t.empty}] [${t.list}] [${input.other}]", inputs, EVIDENCE));
        assertEquals("<empty: none>", Placeholders.renderLenient("${t.empty|input.dir}", inputs, EVIDENCE));
        assertEquals("x", Placeholders.renderLenient("${input.dir|t.v}", inputs, EVIDENCE));
        assertTrue(Placeholders.hasMarker("a <dir: not given> b"));
        assertTrue(Placeholders.hasMarker("a (unknown) b"));
        assertFalse(Placeholders.hasMarker("a <b> c"));
    }
}
