package dev.triage.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces the name of an outcome group (declared by a probe kind, such as tls-handshake's
 * {@code handshake-worked}) by its members, where a scenario may use one: the keys of a test's
 * {@code next:} (a switch uses the groups of the test it switches on) and a fix's
 * {@code verify.expect}. An outcome named on its own in the same {@code next:} keeps its own
 * target. Done once after parsing, so the engine, the validator and the reports only ever see
 * outcomes.
 */
public final class OutcomeGroups {
    private OutcomeGroups() { }

    /** The scenario with every group name replaced; an outcome claimed by two groups of one {@code next:} is a problem. */
    public static Scenario expand(Scenario s, KindCatalog catalog, List<Problem> problems) {
        Map<String, TestNode> tests = new LinkedHashMap<>();
        boolean changed = false;
        for (TestNode t : s.tests().values()) {
            Map<String, Set<String>> groups = groupsOf(s, t, catalog);
            Map<String, String> next = expandNext(s, t, groups, problems);
            changed |= !next.equals(t.next());
            tests.put(t.id(), next.equals(t.next()) ? t : new TestNode(t.id(), t.title(), t.probe(), t.params(), t.timeout(),
                    next, t.prefetch(), t.explain(), t.manual(), t.line()));
        }
        Map<String, FixSpec> fixes = new LinkedHashMap<>();
        for (FixSpec f : s.fixes().values()) {
            FixSpec.VerifySpec v = f.verify();
            TestNode target = v == null ? null : s.tests().get(v.test());
            List<String> expect = target == null ? null : expandList(v.expect(), groupsOf(s, target, catalog));
            if (expect == null || expect.equals(v.expect())) {
                fixes.put(f.id(), f);
            } else {
                changed = true;
                fixes.put(f.id(), new FixSpec(f.id(), f.title(), f.description(), f.warning(), f.when(), f.needs(), f.actions(),
                        new FixSpec.VerifySpec(v.test(), expect, v.within()), f.then(), f.suggest(), f.line()));
            }
        }
        if (!changed) {
            return s;
        }
        return new Scenario(s.id(), s.title(), s.symptom(), s.incident(), s.references(), s.inputs(), s.start(), tests,
                s.verdicts(), fixes, s.source(), s.words(), s.wordsLines());
    }

    private static Map<String, Set<String>> groupsOf(Scenario s, TestNode t, KindCatalog catalog) {
        String probe = t.probe();
        String switched = t.switchedTest();
        if (switched != null) {
            TestNode target = s.tests().get(switched);
            probe = target == null ? null : target.probe();
        }
        return probe == null ? Map.of() : catalog.probe(probe).map(KindCatalog.ProbeKind::groups).orElse(Map.of());
    }

    private static Map<String, String> expandNext(Scenario s, TestNode t, Map<String, Set<String>> groups, List<Problem> problems) {
        if (groups.isEmpty() || t.next().keySet().stream().noneMatch(groups::containsKey)) {
            return t.next();
        }
        Map<String, String> next = new LinkedHashMap<>();
        Map<String, String> claimedBy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : t.next().entrySet()) {
            Set<String> members = groups.get(e.getKey());
            if (members == null) {
                next.put(e.getKey(), e.getValue());
                continue;
            }
            for (String o : members) {
                if (t.next().containsKey(o)) {
                    continue; // named on its own: its own target
                }
                String earlier = claimedBy.putIfAbsent(o, e.getKey());
                if (earlier != null) {
                    problems.add(new Problem(s.source(), t.line(), "test '" + t.id() + "': outcome '" + o + "' is in both groups '"
                            + earlier + "' and '" + e.getKey() + "' of next; name it on its own to say where it goes"));
                    continue;
                }
                next.put(o, e.getValue());
            }
        }
        return next;
    }

    private static List<String> expandList(List<String> outcomes, Map<String, Set<String>> groups) {
        if (outcomes == null || groups.isEmpty() || outcomes.stream().noneMatch(groups::containsKey)) {
            return outcomes;
        }
        Set<String> all = new LinkedHashSet<>();
        for (String o : outcomes) {
            all.addAll(groups.getOrDefault(o, Set.of(o)));
        }
        return new ArrayList<>(all);
    }
}
