package dev.triage.host.firewall;

/** Real-world {@code iptables -S} outputs. */
final class Fixtures {
    private Fixtures() {}

    /** Docker 20.10 defaults with the default bridge and one user-defined bridge. */
    static final String DOCKER_20_10 = """
            -P INPUT ACCEPT
            -P FORWARD DROP
            -P OUTPUT ACCEPT
            -N DOCKER
            -N DOCKER-ISOLATION-STAGE-1
            -N DOCKER-ISOLATION-STAGE-2
            -N DOCKER-USER
            -A FORWARD -j DOCKER-USER
            -A FORWARD -j DOCKER-ISOLATION-STAGE-1
            -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -o docker0 -j DOCKER
            -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
            -A FORWARD -i docker0 -o docker0 -j ACCEPT
            -A FORWARD -o br-1a2b3c4d5e6f -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -o br-1a2b3c4d5e6f -j DOCKER
            -A FORWARD -i br-1a2b3c4d5e6f ! -o br-1a2b3c4d5e6f -j ACCEPT
            -A FORWARD -i br-1a2b3c4d5e6f -o br-1a2b3c4d5e6f -j ACCEPT
            -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
            -A DOCKER-ISOLATION-STAGE-1 -i br-1a2b3c4d5e6f ! -o br-1a2b3c4d5e6f -j DOCKER-ISOLATION-STAGE-2
            -A DOCKER-ISOLATION-STAGE-1 -j RETURN
            -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
            -A DOCKER-ISOLATION-STAGE-2 -o br-1a2b3c4d5e6f -j DROP
            -A DOCKER-ISOLATION-STAGE-2 -j RETURN
            -A DOCKER-USER -j RETURN
            """;

    /** {@link #DOCKER_20_10} with extra DOCKER-USER rules inserted (as {@code -I DOCKER-USER} would, at the top). */
    static String withDockerUser(String... rules) {
        StringBuilder sb = new StringBuilder();
        for (String line : DOCKER_20_10.split("\n")) {
            if (line.equals("-A DOCKER-USER -j RETURN")) for (String r : rules) sb.append("-A DOCKER-USER ").append(r).append('\n');
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** ufw on a host without Docker rules: FORWARD policy DROP (DEFAULT_FORWARD_POLICY="DROP"). */
    static final String UFW = """
            -P INPUT DROP
            -P FORWARD DROP
            -P OUTPUT ACCEPT
            -N ufw-after-forward
            -N ufw-after-logging-forward
            -N ufw-before-forward
            -N ufw-before-logging-forward
            -N ufw-reject-forward
            -N ufw-track-forward
            -N ufw-user-forward
            -A FORWARD -j ufw-before-logging-forward
            -A FORWARD -j ufw-before-forward
            -A FORWARD -j ufw-after-forward
            -A FORWARD -j ufw-after-logging-forward
            -A FORWARD -j ufw-reject-forward
            -A FORWARD -j ufw-track-forward
            -A ufw-after-logging-forward -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW BLOCK] "
            -A ufw-before-forward -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A ufw-before-forward -p icmp -m icmp --icmp-type 3 -j ACCEPT
            -A ufw-before-forward -p icmp -m icmp --icmp-type 11 -j ACCEPT
            -A ufw-before-forward -p icmp -m icmp --icmp-type 12 -j ACCEPT
            -A ufw-before-forward -p icmp -m icmp --icmp-type 8 -j ACCEPT
            -A ufw-before-forward -j ufw-user-forward
            """;
}
