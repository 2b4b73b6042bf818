package dev.triage.fix;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.Objects;

/** The compose edit "remove the volume mounted at a path" (see {@link ComposeEdits#removeVolume}). */
final class ComposeRemoveVolume {

    private ComposeRemoveVolume() { }

    static String apply(String text, String service, String target) {
        Objects.requireNonNull(service, "service");
        String path = ComposeVolumes.containerPath(target);
        ComposeNodes c = ComposeNodes.open(text, "remove the volume mounted at " + target + " from services."
                + service + ".volumes");
        ComposeVolumes v = ComposeVolumes.read(c, service);
        if (v == null) {
            return text;
        }
        List<Integer> hits = v.matching(path);
        if (hits.isEmpty()) {
            return text;
        }
        v.checkEditable(c, hits);
        ComposeText.Edits edits = c.text.edits();
        for (int k : hits) {
            int[] lines = c.entryLines(v.items.get(k).entry(), "the volume");
            edits.deleteLines(lines[0], lines[1]);
        }
        if (hits.size() == v.items.size()) {
            // a key with nothing under it reads as null, which docker compose rejects
            edits.insert(c.colonAfter(v.key.getKeyNode()) + 1, " []");
        }
        return c.verify(edits.apply(), root -> {
            ArrayNode array = (ArrayNode) root.get("services").get(service).get("volumes");
            for (int i = hits.size() - 1; i >= 0; i--) {
                array.remove(hits.get(i));
            }
        });
    }
}
