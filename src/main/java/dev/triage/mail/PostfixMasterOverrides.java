package dev.triage.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-mailserver's {@code postfix-master.cf} override file: one {@code service/type/parameter=value}
 * per line, each applied at container start with {@code postconf -P}. A line whose service does not
 * exist in the image's master.cf matches nothing and is silently dropped, which is how v13.0.0's
 * rename of {@code smtps} to {@code submissions} (PR #3235) turned working overrides into no-ops.
 */
public final class PostfixMasterOverrides {
    private static final Pattern LINE = Pattern.compile(
            "\\s*([^\\s/=#]+)/(inet|unix|unix-dgram|fifo|pass)/([A-Za-z0-9_]+)\\s*=\\s*(.*?)\\s*");
    /** Parameters that make a service expect a PROXY header. */
    public static final List<String> PROXY_PARAMETERS = List.of("smtpd_upstream_proxy_protocol",
            "postscreen_upstream_proxy_protocol");

    private PostfixMasterOverrides() { }

    /** One meaningful line; {@code number} counts from 1. */
    public record Override(int number, String text, String service, String type, String parameter, String value) {
        public boolean setsProxy() {
            return PROXY_PARAMETERS.contains(parameter) && !value.isEmpty();
        }

        public String where() {
            return "line " + number + ": " + text.strip();
        }
    }

    public record Parsed(List<Override> overrides, List<String> malformed) { }

    public static Parsed parse(String text) {
        List<Override> overrides = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replace("\r", "");
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                overrides.add(new Override(i + 1, line, m.group(1), m.group(2), m.group(3), m.group(4)));
            } else {
                malformed.add("line " + (i + 1) + ": " + line.strip());
            }
        }
        return new Parsed(overrides, malformed);
    }

    /**
     * The file with every override of service {@code from} moved to service {@code to}, all else
     * byte for byte (comments, CRLF, order). An override that {@code to} already has with the same
     * value is dropped instead of doubled; one with a different value is a conflict for the admin.
     */
    public static String renameService(String text, String from, String to) {
        if (!from.matches("[a-z0-9][a-z0-9_-]*") || !to.matches("[a-z0-9][a-z0-9_-]*")) {
            throw new IllegalArgumentException("not a master.cf service name: " + from + " / " + to);
        }
        Parsed parsed = parse(text);
        String[] lines = text.split("\n", -1);
        List<Integer> drop = new ArrayList<>();
        for (Override o : parsed.overrides()) {
            if (!o.service().equals(from)) {
                continue;
            }
            Override existing = parsed.overrides().stream().filter(x -> x.service().equals(to) && x.type().equals(o.type())
                    && x.parameter().equals(o.parameter())).reduce((a, b) -> b).orElse(null);
            if (existing != null && !existing.value().equals(o.value())) {
                throw new IllegalArgumentException("line " + o.number() + " sets " + o.parameter() + "=" + o.value() + " for "
                        + from + " but line " + existing.number() + " already sets it to " + existing.value() + " for " + to
                        + "; decide which one you want and edit the file by hand");
            }
            if (existing != null) {
                drop.add(o.number() - 1);
                continue;
            }
            String line = lines[o.number() - 1];
            int at = line.indexOf(from + "/");
            lines[o.number() - 1] = line.substring(0, at) + to + line.substring(at + from.length());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (drop.contains(i)) {
                continue;
            }
            sb.append(lines[i]);
            if (i < lines.length - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
