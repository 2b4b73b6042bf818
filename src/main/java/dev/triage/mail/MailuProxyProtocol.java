package dev.triage.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Mailu's {@code PROXY_PROTOCOL} setting: which ports of the front expect a PROXY header. Mailu
 * 2.0 takes the keywords {@code http}, {@code mail} (every mail port, 25 included) and {@code all};
 * from 2024.06 a comma list of ports, or {@code mail} (25,110,995,143,993,587,465,4190),
 * {@code all-but-http} and {@code all}.
 */
public final class MailuProxyProtocol {
    public static final List<Integer> MAIL_PORTS = List.of(25, 110, 995, 143, 993, 587, 465, 4190);
    public static final List<Integer> HTTP_PORTS = List.of(80, 443);

    private MailuProxyProtocol() { }

    /** The ports it covers, or an exception naming what is not understood. Empty = off. */
    public static List<Integer> ports(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        TreeSet<Integer> ports = new TreeSet<>();
        if (v.isEmpty() || v.equals("false") || v.equals("none") || v.equals("no")) {
            return List.of();
        }
        for (String item : v.split("[,\\s]+")) {
            switch (item) {
                case "http" -> ports.addAll(HTTP_PORTS);
                case "mail" -> ports.addAll(MAIL_PORTS);
                case "all" -> {
                    ports.addAll(HTTP_PORTS);
                    ports.addAll(MAIL_PORTS);
                }
                case "all-but-http" -> ports.addAll(MAIL_PORTS);
                default -> {
                    if (!item.matches("\\d{1,5}") || Integer.parseInt(item) < 1 || Integer.parseInt(item) > 65535) {
                        throw new IllegalArgumentException("'" + item + "' is neither a port nor http, mail, all-but-http or all");
                    }
                    ports.add(Integer.parseInt(item));
                }
            }
        }
        return new ArrayList<>(ports);
    }

    /** True when the value uses what only 2024.06+ understands (a port list or all-but-http). */
    public static boolean needs202406(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return v.contains("all-but-http") || v.matches(".*\\d.*");
    }

    /**
     * The setting without port 25, for "stop proxying 25": on 2024.06+ the other ports as a list;
     * on 2.0, where mail ports cannot be split, only http if it was proxied (else empty = off).
     */
    public static String without25(String value, boolean portLists) {
        List<Integer> ports = new ArrayList<>(ports(value));
        ports.remove(Integer.valueOf(25));
        if (portLists) {
            return String.join(",", ports.stream().map(String::valueOf).toList());
        }
        return ports.containsAll(HTTP_PORTS) ? "http" : "";
    }
}
