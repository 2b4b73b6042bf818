package dev.triage.fix;

import dev.triage.engine.Diagnosis;
import dev.triage.engine.Placeholders;
import dev.triage.scenario.FixSpec;
import dev.triage.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the concrete plans for a diagnosis: the verdict's fixes, in the scenario's order. */
public final class FixPlanner {
    private final ActionFactory factory;

    public FixPlanner(ActionFactory factory) {
        this.factory = factory;
    }

    public List<FixPlan> plans(Scenario scenario, Diagnosis diagnosis) {
        List<FixPlan> plans = new ArrayList<>();
        if (diagnosis.verdict() == null) {
            return plans;
        }
        List<FixSpec> specs = new ArrayList<>(scenario.fixesFor(diagnosis.verdict().id()));
        int offered = specs.size();
        // a follow-up step (a restart after a file edit) is planned with the fix that hands over to it
        for (int i = 0; i < specs.size(); i++) {
            String then = specs.get(i).then();
            if (then != null && specs.stream().noneMatch(s -> s.id().equals(then)) && scenario.fixes().containsKey(then)) {
                specs.add(scenario.fixes().get(then));
            }
        }
        for (int i = 0; i < specs.size(); i++) {
            // a follow-up's conditions describe the state its fix leaves, which the evidence cannot show yet
            plans.add(plan(specs.get(i), diagnosis, i < offered, scenario.words()));
        }
        return plans;
    }

    FixPlan plan(FixSpec spec, Diagnosis diagnosis) {
        return plan(spec, diagnosis, true, Map.of());
    }

    private FixPlan plan(FixSpec spec, Diagnosis diagnosis, boolean checkWhen, Map<String, Map<String, String>> words) {
        Map<String, Map<String, Object>> evidence = diagnosis.evidence();
        Map<String, String> inputs = new java.util.HashMap<>(diagnosis.inputs());
        String shownOnly = null;
        for (String need : spec.needs()) {
            String v = inputs.get(need);
            if (v == null || v.isEmpty()) {
                // the exact change can still be shown against a file the evidence names; it is never applied
                String suggested = spec.suggest().containsKey(need)
                        ? Placeholders.renderLenient(spec.suggest().get(need), inputs, evidence) : "";
                if (suggested.isEmpty() || Placeholders.hasMarker(suggested)) {
                    return unavailable(spec, diagnosis, words, "needs --set " + need + "=...");
                }
                inputs.put(need, suggested);
                shownOnly = "needs --set " + need + "=" + suggested + " to be applied; the change below is only shown"
                        + " (triage edits no file you did not name)";
            }
        }
        for (var cond : checkWhen ? spec.when().entrySet() : java.util.Set.<Map.Entry<String, String>>of()) {
            String actual;
            try {
                actual = String.valueOf(Placeholders.resolve("${" + cond.getKey() + "}", inputs, evidence));
            } catch (Placeholders.UnresolvedException e) {
                return unavailable(spec, diagnosis, words, e.getMessage());
            }
            // "a|b" accepts either value
            if (!java.util.Arrays.asList(cond.getValue().split("\\|")).contains(actual)) {
                return unavailable(spec, diagnosis, words, notFor(cond.getKey(), actual, cond.getValue(), words));
            }
        }
        List<FixAction> actions = new ArrayList<>();
        try {
            for (FixSpec.ActionSpec a : spec.actions()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (var p : a.params().entrySet()) {
                    values.put(p.getKey(), Placeholders.resolve(p.getValue(), inputs, evidence));
                }
                actions.add(factory.build(a.kind(), values, spec.title() + " (triage fix '" + spec.id() + "')"));
            }
        } catch (Placeholders.UnresolvedException | FixException e) {
            return unavailable(spec, diagnosis, words, e.getMessage());
        }
        if (!actions.isEmpty() && actions.stream().allMatch(a -> a instanceof FileWrite w && w.changesNothing())) {
            // an empty diff is no plan: the file is already right, so what runs has not read it since
            List<String> files = actions.stream().map(a -> ((FileWrite) a).path()).distinct().toList();
            return unavailable(spec, diagnosis, words, "nothing to change: " + String.join(", ", files) + " already "
                    + (files.size() == 1 ? "says" : "say") + " this; what runs has not read it since (a container: recreate it,"
                    + " docker compose up -d)");
        }
        // descriptions name the values of this run (the container, the bridge name), like the explanation
        return new FixPlan(spec.id(), spec.title(), describe(spec, inputs, evidence, words), spec.warning(), actions, spec.verify(),
                spec.then(), shownOnly);
    }

    /** Descriptions name the values of this run (the container, the bridge name), like the explanation. */
    private static String describe(FixSpec spec, Map<String, String> inputs, Map<String, Map<String, Object>> evidence,
                                   Map<String, Map<String, String>> words) {
        return spec.description() == null ? null : Placeholders.renderProse(spec.description(), inputs, evidence, words);
    }

    /**
     * Why a fix's condition does not hold, in the scenario's words for the values the fix is for and
     * the value found ("this fix is for when the container ran on your own network; here, the
     * container ran on a throw-away network of triage's").
     */
    static String notFor(String ref, String actual, String expected, Map<String, Map<String, String>> words) {
        Map<String, String> said = words.getOrDefault(ref, Map.of());
        String name = ref.substring(ref.indexOf('.') + 1).replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        java.util.function.UnaryOperator<String> say = v -> said.getOrDefault(v, name + " is " + (v.isEmpty() ? "empty" : v));
        List<String> wanted = java.util.Arrays.stream(expected.split("\\|", -1)).map(say).distinct().toList();
        return "this fix is for when " + String.join(" or ", wanted) + "; here, " + say.apply(actual);
    }

    private static FixPlan unavailable(FixSpec spec, Diagnosis diagnosis, Map<String, Map<String, String>> words, String why) {
        return new FixPlan(spec.id(), spec.title(), describe(spec, diagnosis.inputs(), diagnosis.evidence(), words), spec.warning(),
                List.of(), spec.verify(), spec.then(), why);
    }
}
