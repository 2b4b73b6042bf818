package dev.triage.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The JSON of every probe's evidence, as reports, the journal and scenarios' {@code ${test.field}}
 * placeholders see it: field names, their order and JSON types. The lists were taken from the
 * evidence records before they were nested by concern, so the nesting cannot change a report.
 */
class EvidenceJsonShapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every component filled (strings with their name, numbers 1, lists with one element). */
    static Object sample(Type type, String name) throws Exception {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return name;
        }
        if (raw == int.class || raw == Integer.class) {
            return 1;
        }
        if (raw == long.class || raw == Long.class) {
            return 1L;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return true;
        }
        if (raw == List.class) {
            return List.of(sample(((ParameterizedType) type).getActualTypeArguments()[0], name));
        }
        if (raw == Map.class) {
            return Map.of("key", sample(((ParameterizedType) type).getActualTypeArguments()[1], name));
        }
        if (raw.isRecord()) {
            RecordComponent[] parts = raw.getRecordComponents();
            Object[] values = new Object[parts.length];
            Class<?>[] types = new Class<?>[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = sample(parts[i].getGenericType(), parts[i].getName());
                types[i] = parts[i].getType();
            }
            var constructor = raw.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        }
        throw new AssertionError("no sample for " + type + " (" + name + ")");
    }

    /** "name=TYPE" for each field, in order; lists of objects and nested objects by path. */
    static List<String> shape(Class<? extends Record> type) throws Exception {
        List<String> out = new ArrayList<>();
        walk("", JSON.valueToTree(sample(type, "evidence")), out);
        return out;
    }

    private static void walk(String prefix, JsonNode node, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            String name = prefix + e.getKey();
            if (v.isObject()) {
                out.add(name + "=OBJECT");
                walk(name + ".", v, out);
            } else if (v.isArray() && v.get(0).isObject()) {
                out.add(name + "=ARRAY");
                walk(name + "[].", v.get(0), out);
            } else {
                out.add(name + "=" + (v.isArray() ? "ARRAY of " + v.get(0).getNodeType() : v.getNodeType()));
            }
        }
    }

    static final Map<Class<? extends Record>, List<String>> BEFORE = Map.ofEntries(
            Map.entry(EngineProbe.Evidence.class, List.of(
                    "endpoint=STRING", "local=BOOLEAN", "serverVersion=STRING", "apiVersion=STRING",
                    "minApiVersion=STRING", "os=STRING", "arch=STRING", "kernel=STRING", "firewallBackend=STRING",
                    "ipv4Forwarding=BOOLEAN", "rootless=BOOLEAN", "failure=STRING", "error=STRING", "hint=STRING",
                    "attempts=ARRAY", "attempts[].endpoint=STRING", "attempts[].address=STRING",
                    "attempts[].failure=STRING", "attempts[].error=STRING")),
            Map.entry(BridgeConnectProbe.Evidence.class, List.of(
                    "network=STRING", "throwawayNetwork=BOOLEAN", "driver=STRING", "bridge=STRING", "subnet=STRING",
                    "gateway=STRING", "iccOption=STRING", "server=STRING", "serverIp=STRING", "client=STRING",
                    "clientIp=STRING", "target=STRING", "port=NUMBER", "address=STRING", "resolved=ARRAY of STRING",
                    "resolveOutput=STRING", "command=STRING", "reply=STRING", "connectMillis=NUMBER",
                    "setupError=STRING")),
            Map.entry(HostConnectProbe.Evidence.class, List.of(
                    "address=STRING", "port=NUMBER", "reply=STRING", "error=STRING", "millis=NUMBER")),
            Map.entry(ForwardRulesProbe.Evidence.class, List.of(
                    "binary=STRING", "variant=STRING", "packet=STRING", "verdict=STRING", "decidedBy=STRING",
                    "chain=STRING", "position=NUMBER", "rule=STRING", "ruleArgs=ARRAY of STRING", "decision=STRING",
                    "forwardPolicy=STRING", "trail=STRING", "dockerUserChain=BOOLEAN", "ruleSpecific=BOOLEAN",
                    "otherVariants=ARRAY of STRING", "uncertainRules=ARRAY of STRING", "notes=ARRAY of STRING",
                    "walk=STRING", "nftFamily=STRING", "nftTable=STRING", "nftBaseChain=STRING", "nftHandle=NUMBER",
                    "nft=OBJECT", "nft.decided=BOOLEAN", "nft.verdict=STRING", "nft.decision=STRING",
                    "nft.table=STRING", "nft.family=STRING", "nft.tableName=STRING", "nft.chain=STRING",
                    "nft.baseChain=STRING", "nft.handle=NUMBER", "nft.rule=STRING", "nft.comment=STRING",
                    "nft.path=STRING", "nft.undecided=STRING", "nft.tables=ARRAY of STRING", "nft.error=STRING",
                    "nft.specific=BOOLEAN")),
            Map.entry(BridgeNetfilterProbe.Evidence.class, List.of(
                    "present=BOOLEAN", "loadedAs=STRING", "callIptables=STRING", "callIp6tables=STRING")),
            Map.entry(SysctlProbe.Evidence.class, List.of(
                    "key=STRING", "path=STRING", "value=STRING", "expected=STRING")),
            Map.entry(FirewallBackendProbe.Evidence.class, List.of(
                    "iptablesBinary=STRING", "iptablesVariant=STRING", "dockerChainsInIptables=BOOLEAN",
                    "dockerFirewallBackend=STRING", "nftTables=ARRAY of STRING", "manager=STRING",
                    "netfilterPersistent=BOOLEAN", "notes=ARRAY of STRING")),
            Map.entry(TcpConnectProbe.Evidence.class, List.of(
                    "target=STRING", "address=STRING", "port=NUMBER", "millis=NUMBER", "error=STRING",
                    "tlsTried=BOOLEAN", "tlsOk=BOOLEAN", "tlsProtocol=STRING", "tlsCipher=STRING",
                    "peerSubject=STRING", "tlsError=STRING", "tls=STRING")),
            Map.entry(ContainerConnectProbe.Evidence.class, List.of(
                    "mode=STRING", "network=STRING", "throwawayNetwork=BOOLEAN", "internal=BOOLEAN", "bridge=STRING",
                    "subnet=STRING", "clientIp=STRING", "masqueradeOption=STRING", "composeProject=STRING",
                    "composeNetwork=STRING", "gatewayMode=STRING", "trustedHostInterfaces=STRING", "target=STRING",
                    "command=STRING", "output=STRING", "millis=NUMBER", "setupError=STRING")),
            Map.entry(NetworkOptionsProbe.Evidence.class, List.of(
                    "network=STRING", "bridge=STRING", "fixedBridgeName=BOOLEAN", "subnet=STRING",
                    "masquerade=STRING", "gatewayMode=STRING", "trustedHostInterfaces=STRING", "icc=STRING",
                    "composeProject=STRING", "composeNetwork=STRING")),
            Map.entry(RouteLookupProbe.Evidence.class, List.of(
                    "destination=STRING", "device=STRING", "gateway=STRING", "source=STRING", "output=STRING")),
            Map.entry(NatRulesProbe.Evidence.class, List.of(
                    "binary=STRING", "variant=STRING", "packet=STRING", "target=STRING", "rule=STRING",
                    "decision=STRING", "trail=STRING", "uncertainRules=ARRAY of STRING", "notes=ARRAY of STRING",
                    "nftDecision=STRING")),
            Map.entry(EvidenceCheckProbe.Evidence.class, List.of(
                    "value=STRING", "expected=STRING")),
            Map.entry(TlsHandshakeProbe.Evidence.class, List.of(
                    "target=STRING", "address=STRING", "port=NUMBER", "mode=STRING", "proxyHeader=STRING",
                    "millis=NUMBER", "error=STRING", "serverText=STRING", "banner=STRING", "starttlsOffered=BOOLEAN",
                    "protocol=STRING", "cipher=STRING", "hostname=STRING", "subject=STRING", "names=ARRAY of STRING",
                    "issuer=STRING", "notBefore=STRING", "notAfter=STRING", "trusted=BOOLEAN", "trustError=STRING",
                    "hostnameMatches=BOOLEAN", "certificateProblem=STRING", "chain=ARRAY of STRING")),
            Map.entry(PostfixMasterCfProbe.Evidence.class, List.of(
                    "file=STRING", "overrides=NUMBER", "smtpsLines=ARRAY of STRING", "proxyLines=ARRAY of STRING",
                    "submissionsProxy=BOOLEAN", "malformed=ARRAY of STRING", "problems=ARRAY of STRING",
                    "error=STRING", "dovecotFile=STRING", "dovecotHaproxy=BOOLEAN", "dovecotTrustedNetworks=STRING")),
            Map.entry(OutcomeOfProbe.Evidence.class, List.of(
                    "test=STRING", "value=STRING")),
            Map.entry(ContainerFindProbe.Evidence.class, List.of(
                    "name=STRING", "id=STRING", "image=STRING", "repository=STRING", "tag=STRING", "version=STRING",
                    "versionSource=STRING", "state=STRING", "imageMatches=BOOLEAN", "composeProject=STRING",
                    "composeService=STRING", "composeFiles=STRING", "composeFile=STRING",
                    "candidates=ARRAY of STRING", "searched=ARRAY of STRING")),
            Map.entry(EnvValueProbe.Evidence.class, List.of(
                    "key=STRING", "value=STRING", "source=STRING", "occurrences=NUMBER")),
            Map.entry(ContainerMountProbe.Evidence.class, List.of(
                    "container=STRING", "matches=ARRAY of STRING", "destinations=ARRAY of STRING",
                    "destination=STRING", "type=STRING", "source=STRING", "fsType=STRING", "fsSource=STRING",
                    "network=BOOLEAN")),
            Map.entry(ContainerLogsProbe.Evidence.class, List.of(
                    "container=STRING", "linesRead=NUMBER", "counts=OBJECT", "counts.key=NUMBER",
                    "matches=ARRAY of STRING", "complete=BOOLEAN")),
            Map.entry(PathOwnerProbe.Evidence.class, List.of(
                    "path=STRING", "uid=NUMBER", "gid=NUMBER", "mode=STRING", "children=ARRAY of STRING",
                    "error=STRING")),
            Map.entry(VersionCompareProbe.Evidence.class, List.of(
                    "version=STRING", "atLeast=STRING", "reading=STRING")),
            Map.entry(MailuProxyProtocolProbe.Evidence.class, List.of(
                    "value=STRING", "ports=ARRAY of NUMBER", "port25=BOOLEAN", "without25=STRING",
                    "needs202406=BOOLEAN", "error=STRING")),
            Map.entry(KernelModulesProbe.Evidence.class, List.of(
                    "kernelRelease=STRING", "modules=ARRAY", "modules[].name=STRING", "modules[].loaded=BOOLEAN",
                    "modules[].shippedAs=STRING", "moduleAvailable=BOOLEAN", "missing=STRING", "kernelConfig=STRING",
                    "configSource=STRING", "failingCommand=STRING", "initSystem=STRING")));

    private static List<Class<? extends Record>> evidenceTypes() {
        return ProbeRegistry.standard().all().stream().<Class<? extends Record>>map(p -> p.spec().evidenceType()).toList();
    }

    @Test
    void everyProbesEvidenceKeepsItsJsonFields() throws Exception {
        List<Class<? extends Record>> types = evidenceTypes();
        assertEquals(BEFORE.keySet(), new java.util.HashSet<>(types), "a probe kind added or removed: list its evidence here");
        for (Class<? extends Record> type : types) {
            assertEquals(BEFORE.get(type), shape(type), type.getName());
        }
    }

    /** An evidence with nothing known still names every field (null), as reports always did. */
    @Test
    void emptyEvidenceStillNamesEveryField() throws Exception {
        for (Class<? extends Record> type : evidenceTypes()) {
            List<String> names = new ArrayList<>();
            JSON.valueToTree(empty(type)).fieldNames().forEachRemaining(names::add);
            List<String> before = BEFORE.get(type).stream().map(f -> f.substring(0, f.indexOf('=')))
                    .filter(f -> !f.contains(".") && !f.contains("[]")).toList();
            assertEquals(before, names, type.getName());
        }
    }

    /** Scripted test tables give evidence flat, by JSON field: it reads back to the same JSON. */
    @Test
    void flatEvidenceReadsBackToTheSameJson() throws Exception {
        for (Class<? extends Record> type : evidenceTypes()) {
            JsonNode json = JSON.valueToTree(sample(type, "evidence"));
            @SuppressWarnings("unchecked")
            Map<String, Object> flat = JSON.convertValue(json, Map.class);
            assertEquals(json, JSON.valueToTree(ScriptedProbes.evidence(flat, type)), type.getName());
        }
    }

    /** Every reference null, every primitive zero or false. */
    static Object empty(Class<?> raw) throws Exception {
        RecordComponent[] parts = raw.getRecordComponents();
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            values[i] = types[i] == int.class ? (Object) 0 : types[i] == long.class ? (Object) 0L
                    : types[i] == boolean.class ? (Object) false : null;
        }
        var constructor = raw.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
    }
}
