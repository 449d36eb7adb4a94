package dev.roster.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import dev.roster.api.ResourceRegistry;
import dev.roster.api.ResourceType;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** Create-time validation: each case is a resource, an object (defaulted first) and the exact messages. */
class ValidationTest {
    static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();

    static final String DNS1123_SUBDOMAIN = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
            + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    static final String DNS1123_LABEL = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
            + "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
            + "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    static final String DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            + "with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
            + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
    static final String LABEL_VALUE = "a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
            + "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    static final String POD = "{\"metadata\":{\"name\":\"p\",\"namespace\":\"default\"},\"spec\":{\"containers\":"
            + "[{\"name\":\"c\",\"image\":\"nginx\"%s}]%s}}";
    static final String DEPLOY = "{\"metadata\":{\"name\":\"nginx\",\"namespace\":\"default\"},\"spec\":{%s\"template\":"
            + "{\"metadata\":{\"labels\":{\"app\":\"nginx\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\"}]}}}}";

    static final String SEARCHES_33 = java.util.stream.IntStream.rangeClosed(1, 33).mapToObj(i -> "\"s" + i + ".example\"")
            .collect(java.util.stream.Collectors.joining(",", "[", "]"));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("pods", String.format(POD, "", ""), List.of()),
                Arguments.of("pods", String.format(POD, "", "").replace("\"p\"", "\"Bad_Name\""),
                        List.of("metadata.name: Invalid value: \"Bad_Name\": " + DNS1123_SUBDOMAIN)),
                Arguments.of("pods", String.format(POD, ",\"ports\":[{\"containerPort\":70000}]", ""),
                        List.of("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive")),
                Arguments.of("pods", String.format(POD, "", "").replace("\"image\":\"nginx\"", "\"image\":\"\""),
                        List.of("spec.containers[0].image: Required value")),
                Arguments.of("pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":[]}}",
                        List.of("spec.containers: Required value")),
                Arguments.of("pods", String.format(POD, ",\"ports\":[{\"name\":\"HTTP\",\"containerPort\":80}]", ""),
                        List.of("spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain only alpha-numeric "
                                + "characters (a-z, 0-9), and hyphens (-)",
                                "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)")),
                Arguments.of("pods", String.format(POD, "", ",\"dnsPolicy\":\"None\""),
                        List.of("spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None")),
                Arguments.of("pods", String.format(POD, "", ",\"dnsPolicy\":\"None\",\"dnsConfig\":{\"searches\":[\"a.example\"]}"),
                        List.of("spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None")),
                Arguments.of("pods", String.format(POD, "", ",\"dnsPolicy\":\"None\",\"dnsConfig\":{\"nameservers\":[\"1.1.1.1\"],"
                        + "\"searches\":[\"_sip._tcp.example.com\",\"rooted.example.\",\".\"],\"options\":[{\"name\":\"ndots\",\"value\":\"2\"}]}"),
                        List.of()),
                Arguments.of("pods", String.format(POD, "", ",\"dnsConfig\":{\"searches\":" + SEARCHES_33 + "}"),
                        List.of("spec.dnsConfig.searches: Invalid value: []string{" + SEARCHES_33.substring(1, SEARCHES_33.length() - 1)
                                .replace(",", ", ") + "}: must not have more than 32 search paths")),
                Arguments.of("pods", String.format(POD, "", ",\"dnsConfig\":{\"nameservers\":[\"1.1.1.1\",\"1.1.1.2\",\"1.1.1.3\",\"dns\"],"
                        + "\"searches\":[\"Bad.Example\"],\"options\":[{\"value\":\"2\"}]}"),
                        List.of("spec.dnsConfig.nameservers: Invalid value: []string{\"1.1.1.1\", \"1.1.1.2\", \"1.1.1.3\", \"dns\"}: "
                                + "must not have more than 3 nameservers",
                                "spec.dnsConfig.nameservers[3]: Invalid value: \"dns\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                                "spec.dnsConfig.searches[0]: Invalid value: \"Bad.Example\": a lowercase RFC 1123 subdomain must consist of "
                                + "lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character "
                                + "(e.g. 'example.com', regex used for validation is "
                                + "'_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')",
                                "spec.dnsConfig.options[0]: Required value: must not be empty")),
                Arguments.of("pods", String.format(POD, "", ",\"restartPolicy\":\"Sometimes\""),
                        List.of("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"")),
                Arguments.of("pods", String.format(POD, "", "").replace("\"name\":\"c\"", "\"name\":\"C_1\""),
                        List.of("spec.containers[0].name: Invalid value: \"C_1\": " + DNS1123_LABEL)),
                Arguments.of("pods", String.format(POD, "", "").replace("\"namespace\"", "\"labels\":{\"app\":\"-x\"},\"namespace\""),
                        List.of("metadata.labels: Invalid value: \"-x\": " + LABEL_VALUE)),
                Arguments.of("services", svc("\"ports\":[{\"port\":0}]"),
                        // targetPort defaults to port, so upstream reports it too.
                        List.of("spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                                "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive")),
                Arguments.of("services", svc("\"ports\":[{\"port\":80},{\"port\":81}]"),
                        List.of("spec.ports[0].name: Required value", "spec.ports[1].name: Required value")),
                Arguments.of("services", svc("\"ports\":[{\"name\":\"a\",\"port\":80},{\"name\":\"b\",\"port\":80}]"),
                        List.of("spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", "
                                + "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
                                + "StrVal:\"\"}, NodePort:0}")),
                Arguments.of("services", svc("\"ports\":[{\"port\":80}],\"type\":\"Magic\""),
                        List.of("spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", "
                                + "\"LoadBalancer\", \"NodePort\"")),
                Arguments.of("services", svc("\"ports\":[{\"port\":80,\"protocol\":\"HTTP\"}]"),
                        List.of("spec.ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"")),
                Arguments.of("services", svc("\"ports\":[{\"port\":80}]").replace("\"s\"", "\"1svc\""),
                        List.of("metadata.name: Invalid value: \"1svc\": " + DNS1035)),
                Arguments.of("services", svc("\"type\":\"ExternalName\",\"externalName\":\"example.com.\""), List.of()),
                Arguments.of("services", svc("\"clusterIP\":\"None\",\"selector\":{\"app\":\"x\"}"), List.of()),
                Arguments.of("namespaces", "{\"metadata\":{\"name\":\"a.b\"}}",
                        List.of("metadata.name: Invalid value: \"a.b\": must not contain dots")),
                Arguments.of("deployments", String.format(DEPLOY, "\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"),
                        List.of("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: "
                                + "`selector` does not match template `labels`")),
                Arguments.of("deployments", String.format(DEPLOY, ""),
                        List.of("spec.selector: Required value", "spec.template.metadata.labels: Invalid value: "
                                + "map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`")),
                Arguments.of("deployments", String.format(DEPLOY, "\"replicas\":-1,\"selector\":{\"matchLabels\":{\"app\":\"nginx\"}},"),
                        List.of("spec.replicas: Invalid value: -1: must be greater than or equal to 0")),
                Arguments.of("deployments", String.format(DEPLOY, "\"selector\":{\"matchLabels\":{\"app\":\"nginx\"}},"
                                + "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":0}},"),
                        List.of("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0")),
                Arguments.of("replicasets", String.format(DEPLOY, "\"selector\":{\"matchLabels\":{\"app\":\"nginx\"}},"), List.of()),
                Arguments.of("endpoints", ep("127.0.0.1"),
                        List.of("subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range "
                                + "(127.0.0.0/8, ::1/128)")),
                Arguments.of("endpoints", ep("10.0.0.300"),
                        List.of("subsets[0].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address, "
                                + "(e.g. 10.9.8.7 or 2001:db8::ffff)",
                                "subsets[0].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address")),
                Arguments.of("endpoints", ep("169.254.1.1"),
                        List.of("subsets[0].addresses[0].ip: Invalid value: \"169.254.1.1\": may not be in the link-local "
                                + "range (169.254.0.0/16, fe80::/10)")),
                Arguments.of("endpointslices", slice("IPv4", "\"fe80::1\""),
                        List.of("endpoints[0].addresses[0]: Invalid value: \"fe80::1\": must be a valid IPv4 address",
                                "endpoints[0].addresses[0]: Invalid value: \"fe80::1\": may not be in the link-local range "
                                        + "(169.254.0.0/16, fe80::/10)")),
                Arguments.of("endpointslices", slice("IPX", "\"10.0.0.1\""),
                        List.of("addressType: Unsupported value: \"IPX\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"")),
                Arguments.of("endpointslices", slice("IPv4", "\"10.1.2.3\""), List.of()),
                Arguments.of("configmaps", "{\"metadata\":{\"name\":\"c\",\"namespace\":\"d\"},\"data\":{\"a b\":\"x\"}}",
                        List.of("data[a b]: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, "
                                + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
                                + "validation is '[-._a-zA-Z0-9]+')")),
                Arguments.of("leases", "{\"metadata\":{\"name\":\"l\",\"namespace\":\"d\"},\"spec\":{\"leaseDurationSeconds\":0}}",
                        List.of("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0")),
                Arguments.of("secrets", "{\"metadata\":{\"name\":\"s\",\"namespace\":\"d\"},\"type\":\"kubernetes.io/tls\"}",
                        List.of("data[tls.crt]: Required value", "data[tls.key]: Required value")));
    }

    static String svc(String spec) {
        return "{\"metadata\":{\"name\":\"s\",\"namespace\":\"default\"},\"spec\":{" + spec + "}}";
    }

    static String ep(String ip) {
        return "{\"metadata\":{\"name\":\"e\",\"namespace\":\"default\"},\"subsets\":[{\"addresses\":[{\"ip\":\"" + ip
                + "\"}],\"ports\":[{\"port\":80}]}]}";
    }

    static String slice(String type, String address) {
        return "{\"metadata\":{\"name\":\"e\",\"namespace\":\"default\"},\"addressType\":\"" + type
                + "\",\"endpoints\":[{\"addresses\":[" + address + "]}],\"ports\":[{\"port\":80}]}";
    }

    static ResourceType type(String resource) {
        return REGISTRY.all().stream().filter(t -> t.resource().equals(resource)).findFirst().orElseThrow();
    }

    static List<String> messages(String resource, String json, ObjectNode old, boolean loopback) {
        ObjectNode obj = (ObjectNode) Json.parse(json);
        Defaulting.apply(type(resource), obj);
        return Validation.validate(type(resource), obj, old, loopback).stream().map(FieldError::message).toList();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void reportsUpstreamMessages(String resource, String json, List<String> expected) {
        assertThat(messages(resource, json, null, false)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("loopbackCases")
    void loopbackModeAcceptsLoopbackEndpoints(String resource, String json) {
        assertThat(messages(resource, json, null, true)).isEmpty();
        assertThat(messages(resource, json, null, false)).isNotEmpty();
    }

    static Stream<Arguments> loopbackCases() {
        return Stream.of(Arguments.of("endpoints", ep("127.244.0.5")),
                Arguments.of("endpointslices", slice("IPv4", "\"127.0.0.1\"")));
    }
}
