package dev.triage.host.firewall.nft;

import java.util.List;

/**
 * What nftables does with one packet on one hook, over every base chain of every table.
 *
 * @param verdict    ACCEPT when every base chain let it through, DROP or REJECT when one stopped it
 *                   (forward), TRANSLATED when a nat chain rewrote its source and NOT_TRANSLATED
 *                   when none did (postrouting),
 *                   UNKNOWN when an expression could not be decided
 * @param table      "family table" of the deciding rule or policy, null when nothing decided
 * @param chain      the chain of the deciding rule, or the base chain whose policy decided
 * @param handle     the deciding rule's handle, null for a policy
 * @param rule       the deciding rule in nft's syntax, null for a policy
 * @param comment    the deciding rule's comment, if it has one
 * @param path       the chains that led there, base chain first ({@code forward -> handle_reject})
 * @param baseChain  the base chain the walk was in when it decided
 * @param undecided  the expression that could not be decided, when there was one (it is named,
 *                   not guessed, and reported even when a later rule decided anyway)
 * @param passed     how each base chain passed before the decision ({@code inet fw4 forward: accept by rule 48})
 * @param specific   the deciding rule is aimed at this traffic (it names the packet's interface, a
 *                   wildcard covering it, or an address), as opposed to a catch-all whose deletion
 *                   would open everything
 */
public record NftDecision(Verdict verdict, String table, String chain, Long handle, String rule, String comment,
                          List<String> path, String baseChain, String undecided, List<String> passed, boolean specific) {

    public enum Verdict { ACCEPT, DROP, REJECT, TRANSLATED, NOT_TRANSLATED, UNKNOWN }

    public NftDecision {
        path = List.copyOf(path);
        passed = List.copyOf(passed);
    }

    public boolean blocked() {
        return verdict == Verdict.DROP || verdict == Verdict.REJECT;
    }

    /** The table's family ("inet"), null when nothing decided. */
    public String family() {
        return table == null ? null : table.substring(0, table.indexOf(' '));
    }

    /** The table's own name ("fw4"), null when nothing decided. */
    public String tableName() {
        return table == null ? null : table.substring(table.indexOf(' ') + 1);
    }

    public boolean byPolicy() {
        return table != null && handle == null;
    }

    /** One line for a person: {@code inet fw4: forward -> handle_reject: "meta l4proto tcp reject with tcp reset" (!fw4: Reject TCP traffic)}. */
    public String describe() {
        if (verdict == Verdict.UNKNOWN) {
            return "nftables: cannot decide " + (undecided == null ? "the packet" : "\"" + undecided + "\"")
                    + (table == null ? "" : " in " + table + ": " + String.join(" -> ", path));
        }
        if (table == null) {
            return verdict == Verdict.ACCEPT ? "nftables: no table stops the packet"
                    : "nftables: no source NAT for the packet";
        }
        String where = table + ": " + String.join(" -> ", path);
        String what = byPolicy() ? "policy " + verdict.name().toLowerCase()
                : "\"" + rule + "\"" + (comment == null || comment.isBlank() ? "" : " (" + comment + ")");
        String head = switch (verdict) {
            case DROP -> "dropped";
            case REJECT -> "rejected";
            case TRANSLATED -> "source NAT";
            default -> "accepted";
        };
        String s = head + " by " + where + ": " + what + (handle == null ? "" : " [handle " + handle + "]");
        return undecided == null ? s : s + "; note: \"" + undecided + "\" earlier could not be decided";
    }
}
