package dev.roster.controllers.endpointslice;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tracker holds a sync back until the cache shows the controller's own writes, and no longer once a slice is gone. */
class SliceTrackerTest {
    static final String SVC = "ns/web";

    static EndpointSlice slice(String name, String rv) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("ns").withResourceVersion(rv)
                .addToLabels(EndpointSliceController.MANAGED_BY, EndpointSliceController.CONTROLLER)
                .addToLabels(EndpointSliceController.SERVICE_NAME, "web").endMetadata().build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case, written at rv (0: deleted by the controller), deletion seen, cached at rv (0: not cached), up to date
        "own write not cached yet, 7, false, 0, false",
        "own write cached, 7, false, 7, true",
        "own write cached at an older rv, 7, false, 6, false",
        "own write deleted by someone else, 7, true, 0, true",
        "own delete still cached, 0, false, 7, false",
        "own delete seen, 0, true, 0, true",
    })
    void upToDate(String name, long writtenRv, boolean deletionSeen, long cachedRv, boolean upToDate) {
        SliceTracker t = new SliceTracker();
        if (writtenRv == 0) t.deleted(SVC, "web-a");
        else t.wrote(SVC, slice("web-a", Long.toString(writtenRv)));
        if (deletionSeen) assertThat(t.observedDeletion(slice("web-a", "8"), EndpointSliceController.CONTROLLER)).isEqualTo(SVC);
        List<EndpointSlice> cached = cachedRv == 0 ? List.of() : List.of(slice("web-a", Long.toString(cachedRv)));
        assertThat(t.upToDate(SVC, cached)).as(name).isEqualTo(upToDate);
    }

    @Test
    void aSliceOfAnotherControllerIsNotItsConcern() {
        SliceTracker t = new SliceTracker();
        t.wrote(SVC, slice("web-a", "7"));
        assertThat(t.observedDeletion(slice("web-a", "8"), "endpointslicemirroring-controller.k8s.io")).isNull();
        assertThat(t.upToDate(SVC, List.of())).isFalse();
    }
}
