package dev.roster.proxy.live;

import dev.roster.runtime.net.CommandFailedException;
import static dev.roster.proxy.live.Objects.service;
import static dev.roster.proxy.live.Objects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.proxy.metrics.ProxyMetrics;
import dev.roster.proxy.model.IpFamily;
import dev.roster.proxy.model.ServiceName;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxierTest {
    static final ServiceName WEB = new ServiceName("default", "web");
    static final ServiceName DB = new ServiceName("default", "db");

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final RecordingBackend backend = new RecordingBackend();
    final ProxyMetrics metrics = new ProxyMetrics(true);
    final Proxier proxier = new Proxier(backend, IpFamily.IPV4, "node-1", metrics, Proxier.Timing.defaults(), clock);

    @BeforeEach
    void twoServices() {
        proxier.onServiceUpdate(null, service("default", "web", "10.96.0.10", 80));
        proxier.onServiceUpdate(null, service("default", "db", "10.96.0.11", 5432));
        proxier.onEndpointSliceUpdate(slice("default", "web", "web-a", null, "10.244.0.5"), false);
    }

    /** Steps the runner the way its thread would, without waiting. */
    boolean step() {
        return proxier.runner().runIfDue();
    }

    @Test
    void nothingIsSyncedUntilBothInformersHaveListed() {
        proxier.syncProxyRules();
        proxier.onServicesSynced();
        assertThat(step()).isFalse();
        assertThat(backend.calls).isEmpty();
        proxier.onEndpointSlicesSynced();
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isTrue();
        assertThat(backend.last().state().services()).hasSize(2);
        assertThat(backend.last().state().totalEndpoints()).isEqualTo(1);
    }

    @Test
    void laterChangesArePartialSyncsOfJustTheChangedServices() {
        synced();
        proxier.onEndpointSliceUpdate(slice("default", "web", "web-a", null, "10.244.0.5", "10.244.0.6"), false);
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isFalse();
        assertThat(backend.last().changed()).containsExactly(WEB);
        proxier.onServiceUpdate(service("default", "db", "10.96.0.11", 5432), service("default", "db", "10.96.0.11", 5433));
        clock.advance(Duration.ofSeconds(1));
        assertThat(step()).isTrue();
        assertThat(backend.last().changed()).containsExactly(DB);
        assertThat(ProxyMetrics.count(metrics.syncPartialDuration)).isEqualTo(2);
        assertThat(ProxyMetrics.count(metrics.syncFullDuration)).isEqualTo(1);
    }

    @Test
    void aFailedSyncIsRetriedAsAFullSync() {
        synced();
        backend.failNext = true;
        proxier.onEndpointSliceUpdate(slice("default", "web", "web-a", null, "10.244.0.7"), false);
        step();
        assertThat(backend.last().full()).isFalse();
        assertThat(proxier.lastError()).isInstanceOf(CommandFailedException.class).hasMessageContaining("line 7 failed");
        assertThat(proxier.needsFullSync()).isTrue();
        assertThat(metrics.iptablesRestoreFailures.get()).isEqualTo(1);
        assertThat(metrics.iptablesPartialRestoreFailures.get()).isEqualTo(1);
        // the retry comes by itself after the retry delay
        assertThat(proxier.runner().nextRunAt()).isEqualTo(clock.instant().plusSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isTrue();
        assertThat(proxier.lastError()).isNull();
        assertThat(proxier.needsFullSync()).isFalse();
    }

    @Test
    void theSyncPeriodBringsAFullSyncEvenWithoutChanges() {
        synced();
        clock.advance(Duration.ofMinutes(59));
        assertThat(step()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isTrue();
        assertThat(backend.last().changed()).isEmpty();
        // a partial sync in between does not move the next periodic full one
        clock.advance(Duration.ofMinutes(30));
        proxier.onEndpointSliceUpdate(slice("default", "web", "web-a", null, "10.244.0.9"), false);
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isFalse();
        clock.advance(Duration.ofMinutes(30));
        assertThat(step()).isFalse();
        clock.advance(Duration.ofMinutes(30));
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isTrue();
    }

    @Test
    void changesThatDoNotMatterDoNotQueueASync() {
        synced();
        var web = service("default", "web", "10.96.0.10", 80);
        var relabelled = new io.fabric8.kubernetes.api.model.ServiceBuilder(web).editMetadata().addToLabels("a", "b").endMetadata().build();
        proxier.onServiceUpdate(web, relabelled);
        assertThat(step()).isFalse();
        assertThat(metrics.serviceChangesTotal.get()).isEqualTo(3);
        assertThat(metrics.serviceChangesPending.get()).isZero();
    }

    @Test
    void networkProgrammingLatencyRunsFromTheTriggerTimeToTheAppliedSync() {
        synced();
        clock.advance(Duration.ofSeconds(10));
        proxier.onEndpointSliceUpdate(slice("default", "web", "web-a", "2026-01-01T00:00:09.700Z", "10.244.0.8"), false);
        step();
        assertThat(ProxyMetrics.count(metrics.networkProgrammingDuration)).isEqualTo(1);
        assertThat(ProxyMetrics.sum(metrics.networkProgrammingDuration)).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(metrics.lastSyncTimestamp.get()).isEqualTo(clock.millis() / 1000.0);
        assertThat(metrics.iptablesRulesTotal.labelValues("nat").get()).isEqualTo(10);
    }

    private void synced() {
        proxier.onServicesSynced();
        proxier.onEndpointSlicesSynced();
        assertThat(step()).isTrue();
        assertThat(backend.last().full()).isTrue();
    }
}
