package dev.triage.host.firewall;

import java.util.regex.Pattern;

/** Checks values read from the system before they are put on an iptables command line. */
public final class FirewallNames {
    // XT_EXTENSION_MAXNAMELEN is 29 including NUL; a leading '-' would be read as an option
    private static final Pattern CHAIN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,27}");
    // IFNAMSIZ is 16 including NUL, and iptables counts the '+' wildcard in it
    private static final Pattern IFACE = Pattern.compile("[A-Za-z0-9_.:@][A-Za-z0-9_.:@-]*\\+?");

    private FirewallNames() {}

    public static boolean isValidChain(String s) {
        return s != null && CHAIN.matcher(s).matches();
    }

    public static boolean isValidInterface(String s) {
        // "." and ".." are refused by the kernel (they would be directory names under /sys/class/net)
        return s != null && s.length() <= 15 && IFACE.matcher(s).matches() && !s.equals(".") && !s.equals("..");
    }

    /** No NUL or line break (which could smuggle a second rule into iptables-restore input), under 256 chars. */
    public static boolean isSafeRuleToken(String s) {
        return s != null && s.length() < 256 && s.indexOf('\0') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0;
    }
}
