package dev.roster.dns.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpTextTest {
    static Stream<Arguments> canonical() {
        return Stream.of(Arguments.of("10.244.1.5", "10.244.1.5"), Arguments.of("fd00:244::7", "fd00:244::7"),
                Arguments.of("FD00:0244:0000:0000:0000:0000:0000:0007", "fd00:244::7"), Arguments.of("::1", "::1"),
                Arguments.of("::", "::"), Arguments.of("fd00::", "fd00::"), Arguments.of("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
                Arguments.of("1:0:0:2:0:0:3:4", "1::2:0:0:3:4"), Arguments.of("1:2:3:4:5:6:0:8", "1:2:3:4:5:6:0:8"),
                Arguments.of("::ffff:10.0.0.1", "10.0.0.1"));
    }

    @ParameterizedTest
    @MethodSource("canonical")
    void addressesAreWrittenAsRfc5952Does(String given, String expected) {
        assertThat(IpText.canonical(IpText.parse(given))).isEqualTo(expected);
    }

    static Stream<Arguments> dashed() {
        return Stream.of(Arguments.of("10-244-1-5", "10.244.1.5"), Arguments.of("fd00--5", "fd00::5"),
                Arguments.of("fd00-244--7", "fd00:244::7"), Arguments.of("--1", "::1"), Arguments.of("not-an-ip", null),
                Arguments.of("10-244-1", null), Arguments.of("10-244-1-256", null), Arguments.of("web", null));
    }

    @ParameterizedTest
    @MethodSource("dashed")
    void podNamesReadAsCoreDnsReadsThem(String label, String expected) {
        var ip = IpText.fromDashed(label);
        assertThat(ip == null ? null : IpText.canonical(ip)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("notLiterals")
    void onlyLiteralsAreAddresses(String text) {
        assertThat(IpText.parse(text)).isNull();
    }

    static Stream<String> notLiterals() {
        return Stream.of("localhost", "example.com", "", "10.0.0", "01.2.3.4", "fd00::g");
    }
}
