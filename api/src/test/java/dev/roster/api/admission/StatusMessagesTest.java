package dev.roster.api.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusMessagesTest {
    static final FieldError PORT = FieldError.invalid("spec.ports[0].port", "0", "must be between 1 and 65535, inclusive");
    static final FieldError TYPE = FieldError.notSupported("spec.type", "\"X\"", List.of("ClusterIP"));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("services", List.of(), "Service \"x\" is invalid"),
                Arguments.of("services", List.of(PORT),
                        "Service \"x\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of("services", List.of(PORT, PORT),
                        "Service \"x\" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
                Arguments.of("services", List.of(PORT, TYPE), "Service \"x\" is invalid: [spec.ports[0].port: Invalid value: 0: "
                        + "must be between 1 and 65535, inclusive, spec.type: Unsupported value: \"X\": supported values: \"ClusterIP\"]"),
                Arguments.of("deployments", List.of(FieldError.required("spec.selector", "")),
                        "Deployment.apps \"x\" is invalid: spec.selector: Required value"),
                Arguments.of("configmaps", List.of(FieldError.tooLong("", 1048576)),
                        "ConfigMap \"x\" is invalid: : Too long: must have at most 1048576 bytes"),
                Arguments.of("endpointslices", List.of(FieldError.tooMany("endpoints", 1001, 1000)),
                        "EndpointSlice.discovery.k8s.io \"x\" is invalid: endpoints: Too many: 1001: must have at most 1000 items"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aggregatesLikeUpstream(String resource, List<FieldError> errors, String expected) {
        assertThat(StatusMessages.invalid(ValidationTest.type(resource), "x", errors)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("quotes")
    void quotesLikeGo(String in, String out) {
        assertThat(GoFormat.quote(in)).isEqualTo(out);
    }

    static Stream<Arguments> quotes() {
        return Stream.of(Arguments.of("a\"b", "\"a\\\"b\""), Arguments.of("tab\t", "\"tab\\t\""),
                Arguments.of("\u0001", "\"\\x01\""), Arguments.of("héllo", "\"héllo\""));
    }
}
