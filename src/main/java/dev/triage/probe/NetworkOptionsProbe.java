package dev.triage.probe;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.util.Set;

/**
 * The network's own settings, as Docker keeps them: source NAT for its subnet
 * (com.docker.network.bridge.enable_ip_masquerade, on unless set to false), its bridge device
 * (br-&lt;id&gt;, or a fixed name that survives a compose recreate) and its subnet; Docker 28's gateway
 * mode (com.docker.network.bridge.gateway_mode_ipv4: nat, nat-unprotected, routed, isolated) and
 * trusted_host_interfaces. "routed" and "isolated" mean no source NAT by design.
 */
public final class NetworkOptionsProbe implements Probe<NetworkOptionsProbe.Evidence> {

    /** Reports show the parts' fields at the top level, as one evidence. */
    public record Evidence(@JsonUnwrapped Bridge bridge, @JsonUnwrapped Options options, String composeProject,
                           String composeNetwork) {
        public Evidence {
            bridge = bridge == null ? new Bridge(null, null, false, null) : bridge;
            options = options == null ? new Options(null, null, null, null) : options;
        }
    }

    /** The network, its bridge device (a fixed name survives a compose recreate) and its subnet. */
    public record Bridge(String network, String bridge, boolean fixedBridgeName, String subnet) { }

    /** The options that decide the way out, as Docker reads them (its default said when unset). */
    public record Options(String masquerade, String gatewayMode, String trustedHostInterfaces, String icc) {
        static Options of(BridgeKit kit) {
            return new Options(kit.masqueradeOption() == null ? "true (default)" : kit.masqueradeOption(),
                    kit.gatewayMode() == null ? "nat (default)" : kit.gatewayMode(),
                    kit.trustedHostInterfaces() == null ? "none" : kit.trustedHostInterfaces(),
                    kit.iccOption() == null ? "true (default)" : kit.iccOption());
        }
    }

    static final ProbeSpec<Evidence> SPEC = ProbeSpec.of("network-options", Evidence.class)
            .outcomes("masquerade-on", "masquerade-off", "gateway-no-nat")
            .fine("masquerade-on")
            .requires("image")
            .optional("network", "target", "port");

    @Override
    public ProbeSpec<Evidence> spec() { return SPEC; }

    @Override
    public ProbeResult<Evidence> run(ProbeParams params, ProbeContext context) throws Exception {
        // the same bed the connection tests used (a fixture): its network is the one described
        BridgeKit kit = BridgeKit.build(context.docker(), params.get("image"), params.get("network"), params.get("target"),
                params.getInt("port", 6379));
        boolean fixed = kit.bridge() != null && !kit.bridge().equals("br-" + kit.networkId().substring(0, 12));
        Evidence e = new Evidence(new Bridge(kit.network(), kit.bridge(), fixed, kit.subnet()), Options.of(kit),
                kit.composeProject(), kit.composeNetwork());
        String outcome = outcome(kit.masqueradeOption(), kit.gatewayMode());
        return ProbeResult.of(outcome, e, kit.network() + " (" + kit.bridge() + ", " + kit.subnet() + "): enable_ip_masquerade="
                + e.options().masquerade() + ", gateway_mode_ipv4=" + e.options().gatewayMode());
    }

    /** From the two options as Docker stores them (null when not set). */
    static String outcome(String masqueradeOption, String gatewayMode) {
        // Docker 28: routed (addresses routed as they are) and isolated (no gateway) never NAT
        if (gatewayMode != null && Set.of("routed", "isolated").contains(gatewayMode)) {
            return "gateway-no-nat";
        }
        // Docker reads the option with Go's strconv.ParseBool
        boolean masquerade = masqueradeOption == null || !Set.of("0", "f", "F", "false", "FALSE", "False").contains(masqueradeOption);
        return masquerade ? "masquerade-on" : "masquerade-off";
    }
}
