package dev.triage.fix;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.DatabindContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.jsontype.impl.TypeIdResolverBase;
import dev.triage.params.Params;
import dev.triage.scenario.KindCatalog;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every action kind, declared once. A fix action class has its name in the journal (the JSON's
 * {@code kind}, which must never change: old entries stay readable and undoable); a scenario's
 * action kind names the class it builds, the parameters the validator checks, and its builder.
 * Adding a kind is one {@link #kind} line here (and its class, with one {@link #journal} line).
 */
public final class ActionKinds {
    private ActionKinds() { }

    /** Builds one kind's action from its resolved parameters, with the factory's /etc and host. */
    @FunctionalInterface
    interface Builder<T extends FixAction> {
        T build(ActionFactory f, Params p, String why) throws FixException;
    }

    /** A scenario's action kind. */
    record Kind(String name, Class<? extends FixAction> type, KindCatalog.ActionKind params,
                Builder<? extends FixAction> builder) { }

    /** Journal name -> class, and back. */
    private static final Map<String, Class<? extends FixAction>> JOURNAL = new LinkedHashMap<>();
    private static final Map<Class<?>, String> JOURNAL_NAMES = new LinkedHashMap<>();
    private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

    static {
        journal("iptables-rule", IptablesRuleChange.class);
        kind("iptables-rule-delete", IptablesRuleChange.class, Set.of("binary", "chain", "rule"), Set.of("table"),
                (f, p, why) -> IptablesRuleChange.delete(p.get("binary"), p.get("table", "filter"), p.get("chain"),
                        p.list("rule")));
        kind("iptables-rule-insert", IptablesRuleChange.class, Set.of("binary", "chain", "rule"), Set.of("table", "position"),
                (f, p, why) -> IptablesRuleChange.insert(p.get("binary"), p.get("table", "filter"), p.get("chain"),
                        p.getInt("position", 1), p.list("rule")));

        journal("nft-rule", NftRuleChange.class);
        kind("nft-rule-insert", NftRuleChange.class, Set.of("family", "table", "chain"), Set.of("in", "out", "replies"),
                (f, p, why) -> NftRuleChange.acceptBridge(p.get("family"), p.get("table"), p.get("chain"),
                        p.get("in", null), p.get("out", null), p.flag("replies")));
        kind("nft-rule-delete", NftRuleChange.class, Set.of("family", "table", "chain", "handle", "rule"), Set.of(),
                (f, p, why) -> NftRuleChange.delete(p.get("family"), p.get("table"), p.get("chain"),
                        p.getLong("handle"), p.get("rule")));

        journal("sysctl-set", SysctlSet.class);
        kind("sysctl-set", SysctlSet.class, Set.of("key", "value"), Set.of(),
                (f, p, why) -> new SysctlSet(p.get("key"), p.get("value")));

        journal("module-load", ModuleLoad.class);
        kind("module-load", ModuleLoad.class, Set.of("module"), Set.of(),
                (f, p, why) -> new ModuleLoad(p.get("module")));

        journal("service-restart", ServiceRestart.class);
        kind("service-restart", ServiceRestart.class, Set.of("service"), Set.of("again-on-undo"),
                (f, p, why) -> ServiceRestart.plan(f.host(), p.get("service"), p.flag("again-on-undo")));

        journal("container-restart", ContainerRestart.class);
        kind("container-restart", ContainerRestart.class, Set.of("container"), Set.of(),
                (f, p, why) -> new ContainerRestart(p.get("container")));

        journal("daemon-environment", DaemonEnvironment.class);
        kind("daemon-environment", DaemonEnvironment.class, Set.of("service", "drop-in", "set"), Set.of(),
                (f, p, why) -> DaemonEnvironment.plan(f.host(), f.etc(), p.get("service"), p.get("drop-in"),
                        p.list("set"), why));

        journal("firewalld-change-interface", FirewalldChangeInterface.class);
        kind("firewalld-change-interface", FirewalldChangeInterface.class, Set.of("interface"), Set.of("zone"),
                (f, p, why) -> FirewalldChangeInterface.plan(f.host(), p.get("interface"), p.get("zone", "docker")));

        // a file edit: its new content is computed at plan time, so the preview is the exact diff
        journal("file-write", FileWrite.class);
        kind("sysctl-persist", FileWrite.class, Set.of("file", "set"), Set.of(),
                (f, p, why) -> ActionFactory.sysctlPersist(f.confFile("sysctl.d", p.get("file")), p.list("set"), why));
        kind("module-persist", FileWrite.class, Set.of("file", "module"), Set.of(),
                (f, p, why) -> ActionFactory.modulePersist(f.confFile("modules-load.d", p.get("file")), p.get("module"), why));
        kind("env-file-set", FileWrite.class, Set.of("file", "set"), Set.of(),
                (f, p, why) -> ActionFactory.envFileSet(Path.of(p.get("file")), p.list("set"), why));
        kind("env-file-unset", FileWrite.class, Set.of("file", "keys"), Set.of(),
                (f, p, why) -> ActionFactory.envFileUnset(Path.of(p.get("file")), p.list("keys"), why));
        kind("compose-host-network", FileWrite.class, Set.of("compose-file"), Set.of(),
                (f, p, why) -> ActionFactory.composeHostNetwork(Path.of(p.get("compose-file")), why));
        kind("compose-network-options", FileWrite.class, Set.of("compose-file", "network", "set"), Set.of(),
                (f, p, why) -> ActionFactory.composeNetworkOptions(Path.of(p.get("compose-file")), p.get("network"),
                        p.list("set"), why));
        kind("compose-service-edit", FileWrite.class, Set.of("compose-file", "service"),
                Set.of("unset-env", "remove-volume", "volume-source"),
                (f, p, why) -> ComposeFileActions.serviceEdit(Path.of(p.get("compose-file")), p.get("service"),
                        p.list("unset-env"), p.list("remove-volume"), p.list("volume-source"), why));
        kind("compose-image-tag", FileWrite.class, Set.of("compose-file", "images", "tag"), Set.of(),
                (f, p, why) -> ComposeFileActions.imageTag(Path.of(p.get("compose-file")), p.list("images"),
                        p.get("tag"), why));
        kind("openwrt-firewall-zone", FileWrite.class, Set.of("device"), Set.of("zone", "forward-to"),
                (f, p, why) -> ActionFactory.openwrtFirewallZone(f.etc().resolve("config/firewall"), p.get("device"),
                        p.get("zone", "docker"), p.get("forward-to", "wan"), why));
        kind("firewalld-zone-interface", FileWrite.class, Set.of("interface"), Set.of("zone"),
                (f, p, why) -> ActionFactory.firewalldZoneInterface(f.etc().resolve("firewalld/zones"),
                        p.get("zone", "docker"), p.get("interface"), why));
        kind("rules-file-line", FileWrite.class, Set.of("file", "chain", "rule"), Set.of("table"),
                (f, p, why) -> ActionFactory.rulesFileLine(f.etcFile(p.get("file")), p.get("table", "filter"),
                        p.get("chain"), p.list("rule"), why));
        kind("postfix-master-rename", FileWrite.class, Set.of("file", "from", "to"), Set.of(),
                (f, p, why) -> ActionFactory.postfixMasterRename(Path.of(p.get("file")), p.get("from"), p.get("to"), why));
    }

    private static void journal(String name, Class<? extends FixAction> type) {
        if (JOURNAL.put(name, type) != null || JOURNAL_NAMES.put(type, name) != null) {
            throw new IllegalStateException("two journal names " + name + " / " + type.getSimpleName());
        }
    }

    private static <T extends FixAction> void kind(String name, Class<T> type, Set<String> required, Set<String> optional,
                                                   Builder<T> builder) {
        if (!JOURNAL_NAMES.containsKey(type)) {
            throw new IllegalStateException("action kind " + name + " builds " + type.getSimpleName()
                    + ", which has no journal name");
        }
        if (KINDS.put(name, new Kind(name, type, new KindCatalog.ActionKind(required, optional), builder)) != null) {
            throw new IllegalStateException("two action kinds " + name);
        }
    }

    /** The scenario's action kind of this name, if there is one. */
    static Kind get(String name) {
        return KINDS.get(name);
    }

    /** Every scenario action kind with the parameters the validator checks. */
    public static Map<String, KindCatalog.ActionKind> catalog() {
        Map<String, KindCatalog.ActionKind> all = new LinkedHashMap<>();
        KINDS.forEach((name, kind) -> all.put(name, kind.params()));
        return Collections.unmodifiableMap(all);
    }

    /** Every action class by its journal name. */
    static Map<String, Class<? extends FixAction>> journalTypes() {
        return Collections.unmodifiableMap(JOURNAL);
    }

    /** Jackson's type names of {@link FixAction}s in the journal, from this registry. */
    public static final class JournalNames extends TypeIdResolverBase {
        private JavaType base;

        @Override
        public void init(JavaType baseType) {
            this.base = baseType;
        }

        @Override
        public String idFromValue(Object value) {
            return idFromValueAndType(value, value.getClass());
        }

        @Override
        public String idFromValueAndType(Object value, Class<?> type) {
            String name = JOURNAL_NAMES.get(type);
            if (name == null) {
                throw new IllegalStateException(type.getName() + " has no journal name in ActionKinds");
            }
            return name;
        }

        /** Null for a name this version does not know: Jackson then says which names it knows. */
        @Override
        public JavaType typeFromId(DatabindContext context, String id) {
            Class<? extends FixAction> type = JOURNAL.get(id);
            if (type == null || base != null && !base.getRawClass().isAssignableFrom(type)) {
                return null;
            }
            return context.constructSpecializedType(base, type);
        }

        @Override
        public String getDescForKnownTypeIds() {
            return String.join(", ", JOURNAL.keySet());
        }

        @Override
        public JsonTypeInfo.Id getMechanism() {
            return JsonTypeInfo.Id.CUSTOM;
        }
    }
}
