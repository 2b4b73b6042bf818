package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a probe kind is, declared once in its class: its name, every outcome it can end in (the
 * engine rejects any other), the ones that by themselves say nothing is wrong, its parameters and
 * its evidence record. The registry, the scenario validator's catalog and the engine read it.
 * <pre>
 * static final ProbeSpec&lt;Evidence&gt; SPEC = ProbeSpec.of("tcp-connect", Evidence.class)
 *         .outcomes("connected", "refused").fine("connected").requires("target").optional("tls");
 * </pre>
 * A group names several outcomes that scenarios often treat alike ({@code .group("handshake-worked",
 * "verified", "expired")}): a scenario's {@code next:} or a fix's {@code expect:} may then say the
 * group once instead of listing its members.
 * Mistakes in a declaration (a fine outcome it never returns, a parameter both required and
 * optional, "inconclusive", which only the engine sets, a group with a member that is no outcome
 * or with an outcome's name) fail when the class loads.
 */
public final class ProbeSpec<E extends Record> {
    private final String kind;
    private final Class<E> evidenceType;
    private final Set<String> outcomes;
    private final Set<String> fineOutcomes;
    private final Set<String> requiredParams;
    private final Set<String> optionalParams;
    private final Map<String, Set<String>> groups;

    private ProbeSpec(String kind, Class<E> evidenceType, Set<String> outcomes, Set<String> fineOutcomes,
                      Set<String> requiredParams, Set<String> optionalParams) {
        this(kind, evidenceType, outcomes, fineOutcomes, requiredParams, optionalParams, Map.of());
    }

    private ProbeSpec(String kind, Class<E> evidenceType, Set<String> outcomes, Set<String> fineOutcomes,
                      Set<String> requiredParams, Set<String> optionalParams, Map<String, Set<String>> groups) {
        this.groups = groups;
        this.kind = kind;
        this.evidenceType = evidenceType;
        this.outcomes = outcomes;
        this.fineOutcomes = fineOutcomes;
        this.requiredParams = requiredParams;
        this.optionalParams = optionalParams;
    }

    /** A kind with no outcomes or parameters yet; the chained calls below add them. */
    public static <E extends Record> ProbeSpec<E> of(String kind, Class<E> evidenceType) {
        if (kind == null || kind.isBlank() || evidenceType == null) {
            throw new IllegalArgumentException("a probe kind needs a name and an evidence record");
        }
        return new ProbeSpec<>(kind, evidenceType, Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** Every outcome besides "inconclusive" (which the engine adds when a test cannot run). */
    public ProbeSpec<E> outcomes(String... outcomes) {
        Set<String> all = names("outcome", outcomes);
        if (all.contains(ProbeResult.INCONCLUSIVE)) {
            throw new IllegalArgumentException(kind + ": '" + ProbeResult.INCONCLUSIVE + "' is the engine's, not a probe's");
        }
        return new ProbeSpec<>(kind, evidenceType, all, fineOutcomes, requiredParams, optionalParams, groups);
    }

    /**
     * The outcomes that by themselves say nothing is wrong (a connection made, a container found):
     * a test that ended in one never carries a problem mark, even when a verdict shows it as evidence.
     */
    public ProbeSpec<E> fine(String... fine) {
        Set<String> all = names("fine outcome", fine);
        for (String o : all) {
            if (!outcomes.contains(o)) {
                throw new IllegalArgumentException(kind + ": fine outcome '" + o + "' is not one of its outcomes");
            }
        }
        return new ProbeSpec<>(kind, evidenceType, outcomes, all, requiredParams, optionalParams, groups);
    }

    /** A name for several of its outcomes, declared after them (see the class comment). */
    public ProbeSpec<E> group(String name, String... members) {
        if (name == null || name.isBlank() || outcomes.contains(name) || groups.containsKey(name)
                || ProbeResult.INCONCLUSIVE.equals(name) || "*".equals(name)) {
            throw new IllegalArgumentException(kind + ": group name '" + name + "' is empty, an outcome's or taken");
        }
        Set<String> all = names("group member", members);
        for (String o : all) {
            if (!outcomes.contains(o)) {
                throw new IllegalArgumentException(kind + ": group '" + name + "' names '" + o + "', which is not one of its outcomes");
            }
        }
        if (all.size() < 2) {
            throw new IllegalArgumentException(kind + ": group '" + name + "' needs two outcomes or more");
        }
        Map<String, Set<String>> more = new LinkedHashMap<>(groups);
        more.put(name, all);
        return new ProbeSpec<>(kind, evidenceType, outcomes, fineOutcomes, requiredParams, optionalParams,
                Collections.unmodifiableMap(more));
    }

    public ProbeSpec<E> requires(String... params) {
        Set<String> all = names("parameter", params);
        overlap(all, optionalParams);
        return new ProbeSpec<>(kind, evidenceType, outcomes, fineOutcomes, all, optionalParams, groups);
    }

    public ProbeSpec<E> optional(String... params) {
        Set<String> all = names("parameter", params);
        overlap(requiredParams, all);
        return new ProbeSpec<>(kind, evidenceType, outcomes, fineOutcomes, requiredParams, all, groups);
    }

    public String kind() { return kind; }

    /** In the order declared (error messages list them so). */
    public Set<String> outcomes() { return outcomes; }

    public Set<String> fineOutcomes() { return fineOutcomes; }

    /** Each group's name and members, in the order declared. */
    public Map<String, Set<String>> groups() { return groups; }

    public Set<String> requiredParams() { return requiredParams; }

    public Set<String> optionalParams() { return optionalParams; }

    public Class<E> evidenceType() { return evidenceType; }

    /**
     * The evidence's fields as reports and {@code ${test.field}} placeholders name them: the record's
     * components, with those of a part marked {@code @JsonUnwrapped} in its place.
     */
    public Set<String> evidenceFields() {
        Set<String> fields = new LinkedHashSet<>();
        addFields(evidenceType, fields);
        return Collections.unmodifiableSet(fields);
    }

    /** The evidence fields that hold true/false (a scenario must give them words before prose shows them). */
    public Set<String> booleanFields() {
        Set<String> fields = new LinkedHashSet<>();
        addFields(evidenceType, fields, true);
        return Collections.unmodifiableSet(fields);
    }

    private static void addFields(Class<?> record, Set<String> fields) {
        addFields(record, fields, false);
    }

    private static void addFields(Class<?> record, Set<String> fields, boolean onlyBooleans) {
        for (RecordComponent c : record.getRecordComponents()) {
            if (unwrapped(c)) {
                addFields(c.getType(), fields, onlyBooleans);
            } else if (!onlyBooleans || c.getType() == boolean.class || c.getType() == Boolean.class) {
                fields.add(c.getName());
            }
        }
    }

    /** A component whose record's fields stand in the evidence itself (JSON has no level for it). */
    static boolean unwrapped(RecordComponent c) {
        // @JsonUnwrapped cannot target a record component: Java keeps it on the accessor
        return c.getAccessor().isAnnotationPresent(JsonUnwrapped.class) && c.getType().isRecord();
    }

    private Set<String> names(String what, String... names) {
        Set<String> all = new LinkedHashSet<>();
        for (String n : names) {
            if (n == null || n.isBlank() || !all.add(n)) {
                throw new IllegalArgumentException(kind + ": empty or repeated " + what + " in " + Arrays.toString(names));
            }
        }
        return Collections.unmodifiableSet(all);
    }

    private void overlap(Set<String> required, Set<String> optional) {
        for (String p : required) {
            if (optional.contains(p)) {
                throw new IllegalArgumentException(kind + ": parameter '" + p + "' is both required and optional");
            }
        }
    }

    @Override
    public String toString() {
        return "probe " + kind + " " + outcomes;
    }
}
