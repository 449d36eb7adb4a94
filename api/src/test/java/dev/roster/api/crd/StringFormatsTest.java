package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The string formats CRD schemas may name, each with a value it accepts and one it rejects. */
class StringFormatsTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            bsonobjectid | 507f1f77bcf86cd799439011 | true
            bsonobjectid | 507f1f77bcf86cd79943901 | false
            uri | https://example.com/a?b=c | true
            uri | /just/a/path | true
            uri | not a uri | false
            email | a@example.com | true
            email | nobody | false
            hostname | my-host.example.com | true
            hostname | -bad-.com | false
            ipv4 | 192.168.0.1 | true
            ipv4 | fd00::1 | false
            ipv6 | fd00::1 | true
            ipv6 | 192.168.0.1 | false
            cidr | 10.0.0.0/8 | true
            cidr | 10.0.0.0/33 | false
            mac | 00:1a:2b:3c:4d:5e | true
            mac | 00:1a:2b:3c:4d | false
            uuid | 123e4567-e89b-12d3-a456-426614174000 | true
            uuid | 123e4567 | false
            uuid4 | 123e4567-e89b-42d3-a456-426614174000 | true
            uuid4 | 123e4567-e89b-12d3-a456-426614174000 | false
            isbn10 | 0321751043 | true
            isbn10 | 0321751044 | false
            isbn13 | 978-0321751041 | true
            isbn | 978-0321751042 | false
            creditcard | 4111 1111 1111 1111 | true
            creditcard | 1234 | false
            ssn | 123-45-6789 | true
            ssn | 12-345-6789 | false
            hexcolor | #ffaa00 | true
            hexcolor | #ffaa0 | false
            rgbcolor | rgb(255, 0, 10) | true
            rgbcolor | rgb(256, 0, 10) | false
            byte | aGVsbG8= | true
            byte | not base64! | false
            password | anything at all | true
            date | 2024-02-29 | true
            date | 2023-02-29 | false
            date-time | 2024-01-02T03:04:05Z | true
            date-time | 2024-01-02T03:04:05.123+01:00 | true
            date-time | 2024-01-02 03:04:05 | false
            datetime | 2024-01-02T24:00:00Z | false
            duration | 1h30m | true
            duration | 3 days | true
            duration | soon | false
            quantity | 500Mi | true
            quantity | 1.5 | true
            quantity | 5 MB | false
            k8s-short-name | my-name | true
            k8s-short-name | My-Name | false
            k8s-long-name | a.b-c.d | true
            k8s-long-name | a..b | false
            """)
    void checksLikeUpstream(String format, String value, boolean valid) {
        assertThat(StringFormats.known(format)).isTrue();
        assertThat(StringFormats.valid(format, value)).isEqualTo(valid);
    }

    @Test
    void otherFormatsAreIgnored() {
        assertThat(StringFormats.known("int-or-percent")).isFalse();
        assertThat(StringFormats.valid("int-or-percent", "anything")).isTrue();
    }
}
