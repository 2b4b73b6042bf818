package dev.triage.fix;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;
import java.util.Map;

/**
 * One typed change to the system. Values that came from the system (bridge names, rule words) are
 * validated when the action is built, and commands run as argument vectors, never through a shell.
 * Each action previews exactly, knows whether it is still needed (so a second run changes nothing),
 * and returns what its undo needs.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = IptablesRuleChange.class, name = "iptables-rule"),
        @JsonSubTypes.Type(value = NftRuleChange.class, name = "nft-rule"),
        @JsonSubTypes.Type(value = SysctlSet.class, name = "sysctl-set"),
        @JsonSubTypes.Type(value = ModuleLoad.class, name = "module-load"),
        @JsonSubTypes.Type(value = FileWrite.class, name = "file-write"),
        @JsonSubTypes.Type(value = ServiceRestart.class, name = "service-restart"),
        @JsonSubTypes.Type(value = ContainerRestart.class, name = "container-restart"),
        @JsonSubTypes.Type(value = DaemonEnvironment.class, name = "daemon-environment"),
        @JsonSubTypes.Type(value = FirewalldChangeInterface.class, name = "firewalld-change-interface"),
})
public interface FixAction {

    /** One line in plain words. */
    String describe();

    /** Exactly what will run or change: commands as they would be typed, file changes as a diff. */
    List<String> preview();

    /**
     * The same change as shell lines an admin can review and run later ("not now" in the wizard):
     * by default the preview's commands ("$ ...") as commands, everything else as comments.
     */
    default List<String> script() {
        return preview().stream().map(l -> l.startsWith("$ ") ? l.substring(2) : "# " + l).toList();
    }

    /** False when the system already is as this action wants it. */
    boolean needed(FixHost host) throws FixException;

    /** Makes the change; returns what {@link #undo} needs. */
    Map<String, String> apply(FixHost host) throws FixException;

    /**
     * What {@link #undo} will need, found (and backed up) before anything changes; the journal
     * records it first, so that an undo after a crash in the middle of {@link #apply} still
     * restores. Undo with this map must be safe whether or not the change then happened.
     */
    default Map<String, String> intent(FixHost host) throws FixException {
        return Map.of();
    }

    /** Makes the change whose {@link #intent} was recorded; returns what {@link #undo} needs. */
    default Map<String, String> apply(FixHost host, Map<String, String> intent) throws FixException {
        Map<String, String> undo = new java.util.LinkedHashMap<>(intent);
        undo.putAll(apply(host));
        return Map.copyOf(undo);
    }

    /** Reverts a change made by {@link #apply}; safe to call when it was already reverted. */
    void undo(FixHost host, Map<String, String> undo) throws FixException;

    /** What {@link #undo} with this journal data does, said before it runs ({@code triage undo --dry-run}). */
    default List<String> undoPreview(Map<String, String> undo) {
        return List.of(reversible() ? "revert: " + describe() : "nothing (cannot be taken back): " + describe());
    }

    /** An action that cannot be taken back (a restart) says so in previews and in undo. */
    default boolean reversible() { return true; }

    /** Runs only when an earlier action of the same fix changed something (a restart after a config change). */
    default boolean onlyAfterChange() { return false; }
}
