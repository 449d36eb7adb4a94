package dev.roster.proxy.iptables;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NamingTest {
    @ParameterizedTest
    @CsvSource({
            "ns1/svc1:p80tcp, XPGD46QRK7WJZT7O",
            "ns1/svc1:p80tcp10.180.0.1:80, SXIVWICOYRO3J4NJ",
            "ns5/svc5:p80tcp10.180.0.3:80, I77PXRDZVX7PMWMN",
            "ns2/svc2:p8080tcp, 2VJB64SDSIJUP5T6",
            "kube-system/kube-dns:dnsudp, TCOU7JCQXEZGVUNU",
            "ns1/svc1tcp, AQI2S6QIMU7PVVRP"})
    void chainHashesMatchUpstream(String input, String hash) {
        assertThat(new ChainNames().hash16(input)).isEqualTo(hash);
    }

    @ParameterizedTest
    @CsvSource({
            "1, 1.0000000000", "2, 0.5000000000", "3, 0.3333333333", "10, 0.1000000000",
            "2048, 0.0004882812", "100000, 0.0000100000", "100001, 0.0000099999"})
    void probabilitiesAreFormattedAsGoDoes(int n, String text) {
        assertThat(Probabilities.of(n)).isEqualTo(text);
        assertThat(Probabilities.format(n)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"KUBE-SVC-X, true", "KUBE-SVL-X, true", "KUBE-SEP-X, true", "KUBE-FW-X, true", "KUBE-EXT-X, true",
            "KUBE-SERVICES, false", "KUBE-SEPX, false", "KUBE-NODEPORTS, false", "KUBE-MARK-MASQ, false", "KUBE-FWX, false",
            "KUBE-EXTERNAL-SERVICES, false", "KUBE-SV, false", "FOO-SVC-X, false"})
    void serviceChainsAreRecognised(String chain, boolean ours) {
        assertThat(ChainNames.isServiceChain(chain)).isEqualTo(ours);
    }
}
