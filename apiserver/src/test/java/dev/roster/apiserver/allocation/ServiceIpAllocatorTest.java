package dev.roster.apiserver.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ClusterIPs are handed out above the static band first, as upstream's allocator does (KEP-3070). */
class ServiceIpAllocatorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // cidr,          usable, static band (offsets 1..band-1 kept back while the upper band has room)
        "10.96.0.0/12,    1048574, 256",
        "127.96.0.0/16,   65534,   256",
        "10.0.0.0/24,     254,     16",
        "10.0.0.0/28,     14,      16",
    })
    void dynamicAddressesComeFromAboveTheStaticBandUntilItIsFull(String cidr, int usable, int band) {
        ServiceIpAllocator a = new ServiceIpAllocator(cidr);
        assertThat(a.staticBand()).isEqualTo(band);
        int upper = Math.max(0, usable + 1 - band); // offsets band..size-2
        int draws = Math.min(upper, 2000);
        int base = Ipv4.parse(cidr.split("/")[0]);
        for (int i = 0; i < draws; i++) {
            assertThat(Ipv4.parse(a.allocateNext()) - base).as("draw %d", i).isGreaterThanOrEqualTo(band);
        }
        if (usable > 300) return; // large ranges: the band rule is what matters, not exhausting them
        Set<String> rest = new HashSet<>();
        for (int i = draws; i < usable; i++) rest.add(a.allocateNext());
        assertThat(rest).as("then the static band, every address once").hasSize(usable - draws);
        assertThatThrownBy(a::allocateNext).hasMessage("range is full");
    }

    @ParameterizedTest
    @CsvSource({"10.96.0.10", "10.96.0.1", "10.96.0.255"})
    void aStaticAddressStaysFreeForTheServiceThatAsksForIt(String ip) {
        ServiceIpAllocator a = new ServiceIpAllocator("10.96.0.0/12");
        for (int i = 0; i < 5000; i++) assertThat(a.allocateNext()).isNotEqualTo(ip);
        assertThat(a.allocate(ip)).isTrue();
        assertThat(a.allocate(ip)).isFalse();
    }
}
