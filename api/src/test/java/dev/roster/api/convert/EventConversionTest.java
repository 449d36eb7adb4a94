package dev.roster.api.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.api.Json;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

class EventConversionTest {

    private static final String CORE_KUBELET = """
            {"kind":"Event","apiVersion":"v1",
             "metadata":{"name":"nginx-1.17f","namespace":"default","resourceVersion":"42"},
             "involvedObject":{"kind":"Pod","namespace":"default","name":"nginx-1","uid":"u1","apiVersion":"v1",
                               "resourceVersion":"7","fieldPath":"spec.containers{nginx}"},
             "reason":"Started","message":"Started container nginx",
             "source":{"component":"kubelet","host":"node-1"},
             "firstTimestamp":"2025-01-02T03:04:05Z","lastTimestamp":"2025-01-02T03:05:05Z","count":2,
             "type":"Normal","eventTime":null,
             "reportingComponent":"kubelet","reportingInstance":"node-1"}""";

    private static final String EVENTS_KUBELET = """
            {"kind":"Event","apiVersion":"events.k8s.io/v1",
             "metadata":{"name":"nginx-1.17f","namespace":"default","resourceVersion":"42"},
             "eventTime":null,
             "reportingController":"kubelet","reportingInstance":"node-1",
             "reason":"Started",
             "regarding":{"kind":"Pod","namespace":"default","name":"nginx-1","uid":"u1","apiVersion":"v1",
                          "resourceVersion":"7","fieldPath":"spec.containers{nginx}"},
             "note":"Started container nginx","type":"Normal",
             "deprecatedSource":{"component":"kubelet","host":"node-1"},
             "deprecatedFirstTimestamp":"2025-01-02T03:04:05Z","deprecatedLastTimestamp":"2025-01-02T03:05:05Z",
             "deprecatedCount":2}""";

    private static final String CORE_SCHEDULER_SERIES = """
            {"kind":"Event","apiVersion":"v1",
             "metadata":{"name":"p.1","namespace":"default"},
             "involvedObject":{"kind":"Pod","namespace":"default","name":"p"},
             "reason":"FailedScheduling","message":"0/1 nodes are available",
             "source":{},"firstTimestamp":null,"lastTimestamp":null,
             "type":"Warning","eventTime":"2025-01-02T03:04:05.123456Z",
             "series":{"count":3,"lastObservedTime":"2025-01-02T03:09:05.000000Z"},
             "action":"Scheduling",
             "related":{"kind":"Node","name":"node-1"},
             "reportingComponent":"default-scheduler","reportingInstance":"default-scheduler-roster"}""";

    private static final String EVENTS_SCHEDULER_SERIES = """
            {"kind":"Event","apiVersion":"events.k8s.io/v1",
             "metadata":{"name":"p.1","namespace":"default"},
             "eventTime":"2025-01-02T03:04:05.123456Z",
             "series":{"count":3,"lastObservedTime":"2025-01-02T03:09:05.000000Z"},
             "reportingController":"default-scheduler","reportingInstance":"default-scheduler-roster",
             "action":"Scheduling","reason":"FailedScheduling",
             "regarding":{"kind":"Pod","namespace":"default","name":"p"},
             "related":{"kind":"Node","name":"node-1"},
             "note":"0/1 nodes are available","type":"Warning",
             "deprecatedSource":{},"deprecatedFirstTimestamp":null,"deprecatedLastTimestamp":null}""";

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("kubelet event", CORE_KUBELET, EVENTS_KUBELET),
                Arguments.of("scheduler series", CORE_SCHEDULER_SERIES, EVENTS_SCHEDULER_SERIES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void convertsBothWaysAndRoundTrips(String name, String core, String events) {
        ObjectNode coreEvent = (ObjectNode) Json.parse(core);
        ObjectNode eventsEvent = (ObjectNode) Json.parse(events);

        assertThat(EventConversion.toEventsV1(coreEvent)).isEqualTo(eventsEvent);
        assertThat(EventConversion.toCoreV1(eventsEvent)).isEqualTo(coreEvent);
        assertThat(EventConversion.toCoreV1(EventConversion.toEventsV1(coreEvent))).isEqualTo(coreEvent);
        assertThat(EventConversion.toEventsV1(EventConversion.toCoreV1(eventsEvent))).isEqualTo(eventsEvent);
    }

    @Test
    void fillsTheFieldsGoAlwaysPrints() {
        ObjectNode minimal = (ObjectNode) Json.parse("""
                {"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":{"name":"e"},
                 "reportingController":"c","reportingInstance":"","note":""}""");

        ObjectNode core = EventConversion.toCoreV1(minimal);

        assertThat(core).isEqualTo(Json.parse("""
                {"kind":"Event","apiVersion":"v1","metadata":{"name":"e"},"involvedObject":{},"source":{},
                 "firstTimestamp":null,"lastTimestamp":null,"eventTime":null,
                 "reportingComponent":"c","reportingInstance":""}"""));
        assertThat(core.propertyNames()).containsExactly("kind", "apiVersion", "metadata", "involvedObject", "source",
                "firstTimestamp", "lastTimestamp", "eventTime", "reportingComponent", "reportingInstance");
    }

    @Test
    void toVersionPicksTheDirection() {
        ObjectNode core = (ObjectNode) Json.parse(CORE_KUBELET);
        assertThat(EventConversion.toVersion(core, "v1")).isEqualTo(core);
        assertThat(EventConversion.toVersion(core, "events.k8s.io/v1")).isEqualTo(Json.parse(EVENTS_KUBELET));
    }
}
