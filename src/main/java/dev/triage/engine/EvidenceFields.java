package dev.triage.engine;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a typed evidence record into named fields for placeholders and reports. */
final class EvidenceFields {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvidenceFields() { }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Object evidence) {
        if (evidence == null) {
            return Map.of();
        }
        // nulls stay: a field the probe has but left empty is "", one it does not have is an error
        return MAPPER.convertValue(evidence, LinkedHashMap.class);
    }
}
