package dev.triage.fix;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.mail.ImageRef;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import static dev.triage.fix.ComposeText.lineRef;
import static dev.triage.fix.ComposeText.quoteForMessage;

/** The compose edit "set the tag of the images of some repositories" (see {@link ComposeEdits#setImageTag}). */
final class ComposeImageTag {

    private ComposeImageTag() { }

    static String apply(String text, Predicate<String> repository, String newTag) {
        Objects.requireNonNull(repository, "repository");
        if (!ImageRef.isTag(newTag)) {
            throw new IllegalArgumentException("not an image tag: " + quoteForMessage(newTag));
        }
        ComposeNodes c = ComposeNodes.open(text, "set the image tag to " + newTag);
        ComposeText.Edits edits = c.text.edits();
        Map<String, String> newImages = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        int matched = 0;
        for (String name : c.serviceNames()) {
            NodeTuple svc = c.service(name);
            Map<String, NodeTuple> props = c.settings(name);
            NodeTuple image = props.get("image");
            if (image == null) {
                String merged = c.mergedFrom(props, name, "image");
                if (merged != null) {
                    throw c.refuse(merged + "; its image cannot be checked here");
                }
                seen.add(name + " (no image)");
                continue;
            }
            if (!(image.getValueNode() instanceof ScalarNode s) || ComposeNodes.isEmpty(s)) {
                throw c.refuse(c.at(image.getKeyNode()) + ": the image of service " + name + " is not an image name");
            }
            String value = s.getValue();
            seen.add(name + " (" + value + ")");
            ComposeImageText img = ComposeImageText.parse(value);
            if (!repository.test(img.repository)) {
                continue;
            }
            matched++;
            String where = "service " + name + " (" + lineRef(c.line(image.getKeyNode())) + ", image " + value + ")";
            String newValue = img.withTag(newTag, where, c::refuse);
            if (newValue.equals(value)) {
                continue;
            }
            // the new tag is written where the image is written: a service or image shared with other places is not
            String problem = c.problem(svc.getValueNode(), c.end(svc.getKeyNode()), "the service");
            if (problem != null) {
                throw c.refuse("service " + name + " (" + c.at(svc.getKeyNode()) + "): " + problem);
            }
            problem = c.problem(s, c.end(image.getKeyNode()), "the image");
            if (problem != null) {
                throw c.refuse(c.at(image.getKeyNode()) + ": " + problem);
            }
            int[] inner = c.inner(s, where);
            edits.replace(inner[0], inner[1], newValue);
            newImages.put(name, newValue);
        }
        if (matched == 0) {
            throw new IllegalArgumentException("no service in the compose file uses a matching image; services: "
                    + (seen.isEmpty() ? "none" : String.join(", ", seen)));
        }
        if (newImages.isEmpty()) {
            return text;
        }
        return c.verify(edits.apply(), root -> newImages.forEach((svc, img) ->
                ((ObjectNode) root.get("services").get(svc)).put("image", img)));
    }
}
