package dev.roster.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.roster.apiserver.TestServer.Reply;
import dev.roster.apiserver.TestServer.WatchStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** LIST and WATCH with upstream's resourceVersion, selector and paging semantics. */
class ListWatchTest {
    TestServer api;
    static final String NS = "/api/v1/namespaces/default/configmaps";

    @BeforeEach
    void start() {
        api = new TestServer();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    Reply create(String name, String labels) {
        Reply r = api.post(NS, "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}}}");
        assertThat(r.code()).isEqualTo(201);
        return r;
    }

    static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode i : list.path("items")) out.add(i.path("metadata").path("name").asString());
        return out;
    }

    @Test
    void listIsConsistentAndCarriesTheCurrentRevision() {
        create("a", "\"app\":\"x\"");
        Reply b = create("b", "\"app\":\"y\"");
        Reply list = api.get(NS);
        assertThat(list.text("kind")).isEqualTo("ConfigMapList");
        assertThat(names(list.json())).containsExactly("a", "b");
        assertThat(Long.parseLong(list.text("metadata", "resourceVersion")))
                .isGreaterThanOrEqualTo(Long.parseLong(b.text("metadata", "resourceVersion")));
    }

    @Test
    void longListsStreamTheSameDocument() {
        for (int i = 0; i < 150; i++) create(String.format("long-%03d", i), "\"n\":\"" + i + "\"");
        Reply list = api.get(NS);
        assertThat(list.code()).isEqualTo(200);
        assertThat(names(list.json())).hasSize(150).startsWith("long-000").endsWith("long-149");
        assertThat(list.json().path("items").get(7).path("metadata").path("labels").path("n").asString()).isEqualTo("7");
        Reply paged = api.get(NS + "?limit=120");
        assertThat(names(paged.json())).hasSize(120);
        assertThat(paged.json().path("metadata").path("remainingItemCount").asInt()).isEqualTo(30);
    }

    @Test
    void labelSelectorsOfEveryOperator() {
        create("a", "\"app\":\"x\",\"tier\":\"web\"");
        create("b", "\"app\":\"y\"");
        create("c", "\"app\":\"z\",\"tier\":\"db\"");
        assertThat(names(api.get(NS + "?labelSelector=app%3Dx").json())).containsExactly("a");
        assertThat(names(api.get(NS + "?labelSelector=app!%3Dx").json())).containsExactly("b", "c");
        assertThat(names(api.get(NS + "?labelSelector=app+in+(x,z)").json())).containsExactly("a", "c");
        assertThat(names(api.get(NS + "?labelSelector=app+notin+(x)").json())).containsExactly("b", "c");
        assertThat(names(api.get(NS + "?labelSelector=tier").json())).containsExactly("a", "c");
        assertThat(names(api.get(NS + "?labelSelector=!tier").json())).containsExactly("b");
        assertThat(api.get(NS + "?labelSelector=app+in").code()).isEqualTo(400);
    }

    @Test
    void fieldSelectorsAndUnsupportedFields() {
        create("a", "");
        create("b", "");
        assertThat(names(api.get(NS + "?fieldSelector=metadata.name%3Db").json())).containsExactly("b");
        assertThat(names(api.get("/api/v1/configmaps?fieldSelector=metadata.namespace%3Ddefault").json())).containsExactly("a", "b");
        Reply bad = api.get(NS + "?fieldSelector=spec.nope%3D1");
        assertThat(bad.code()).isEqualTo(400);
        assertThat(bad.text("message")).contains("field label not supported: spec.nope");
    }

    @Test
    void limitAndContinuePageOneConsistentSnapshot() {
        for (int i = 0; i < 5; i++) create("p" + i, "");
        Reply page1 = api.get(NS + "?limit=2");
        assertThat(names(page1.json())).containsExactly("p0", "p1");
        String cont = page1.text("metadata", "continue");
        assertThat(cont).isNotEmpty();
        assertThat(page1.json().path("metadata").path("remainingItemCount").asInt()).isEqualTo(3);
        // a write between pages does not show up in later pages of the same list
        api.delete(NS + "/p3");
        create("p5", "");
        Reply page2 = api.get(NS + "?limit=2&continue=" + cont);
        assertThat(names(page2.json())).containsExactly("p2", "p3");
        Reply page3 = api.get(NS + "?limit=2&continue=" + page2.text("metadata", "continue"));
        assertThat(names(page3.json())).containsExactly("p4");
        assertThat(page3.json().path("metadata").has("continue")).isFalse();
        assertThat(page3.text("metadata", "resourceVersion")).isEqualTo(page1.text("metadata", "resourceVersion"));
    }

    @Test
    void watchFromZeroSendsCurrentObjectsFirst() throws Exception {
        create("w1", "");
        try (WatchStream w = api.watch(NS + "?watch=true&resourceVersion=0&fieldSelector=metadata.name%3Dw1")) {
            JsonNode first = w.next(5000);
            assertThat(first.path("type").asString()).isEqualTo("ADDED");
            assertThat(first.path("object").path("metadata").path("name").asString()).isEqualTo("w1");
            api.patch(NS + "/w1", "application/merge-patch+json", "{\"data\":{\"k\":\"v\"}}");
            JsonNode second = w.next(5000);
            assertThat(second.path("type").asString()).isEqualTo("MODIFIED");
            assertThat(second.path("object").path("data").path("k").asString()).isEqualTo("v");
        }
    }

    @Test
    void watchFromListRevisionReplaysNothingAndSeesLaterChanges() throws Exception {
        create("x", "");
        String rv = api.get(NS).text("metadata", "resourceVersion");
        try (WatchStream w = api.watch(NS + "?watch=true&resourceVersion=" + rv)) {
            create("y", "");
            api.delete(NS + "/x");
            JsonNode e1 = w.next(5000);
            JsonNode e2 = w.next(5000);
            assertThat(e1.path("type").asString()).isEqualTo("ADDED");
            assertThat(e1.path("object").path("metadata").path("name").asString()).isEqualTo("y");
            assertThat(e2.path("type").asString()).isEqualTo("DELETED");
            assertThat(e2.path("object").path("metadata").path("name").asString()).isEqualTo("x");
            assertThat(Long.parseLong(e2.path("object").path("metadata").path("resourceVersion").asString()))
                    .isGreaterThan(Long.parseLong(e1.path("object").path("metadata").path("resourceVersion").asString()));
            assertThat(w.next(300)).isNull();
        }
    }

    @Test
    void watchFromAnOldRevisionResumesWithoutGaps() throws Exception {
        Reply a = create("r1", "");
        create("r2", "");
        create("r3", "");
        try (WatchStream w = api.watch(NS + "?watch=true&resourceVersion=" + a.text("metadata", "resourceVersion"))) {
            assertThat(w.next(5000).path("object").path("metadata").path("name").asString()).isEqualTo("r2");
            assertThat(w.next(5000).path("object").path("metadata").path("name").asString()).isEqualTo("r3");
        }
    }

    @Test
    void watchTooOldIsAnErrorEventWith410() throws Exception {
        try (TestServer small = new TestServer(new dev.roster.storage.memory.MemoryStorage(),
                new ApiServerConfig("127.0.0.1", 0, "127.96.0.0/16", 30000, 32767, true, KubeVersion.DEFAULT, 3, 100,
                        java.time.Clock.systemUTC()))) {
            String first = null;
            for (int i = 0; i < 6; i++) {
                Reply r = small.post(NS, "{\"metadata\":{\"name\":\"o" + i + "\"}}");
                if (first == null) first = r.text("metadata", "resourceVersion");
            }
            try (WatchStream w = small.watch(NS + "?watch=true&resourceVersion=" + first)) {
                JsonNode e = w.next(5000);
                assertThat(e.path("type").asString()).isEqualTo("ERROR");
                assertThat(e.path("object").path("code").asInt()).isEqualTo(410);
                assertThat(e.path("object").path("reason").asString()).isEqualTo("Expired");
                assertThat(e.path("object").path("message").asString()).startsWith("too old resource version: " + first);
            }
        }
    }

    @Test
    void objectsMovingAcrossALabelSelectorAreAddedAndDeleted() throws Exception {
        create("m", "\"app\":\"no\"");
        String rv = api.get(NS).text("metadata", "resourceVersion");
        try (WatchStream w = api.watch(NS + "?watch=true&labelSelector=app%3Dyes&resourceVersion=" + rv)) {
            api.patch(NS + "/m", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"yes\"}}}");
            api.patch(NS + "/m", "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"app\":\"gone\"}}}");
            assertThat(w.next(5000).path("type").asString()).isEqualTo("ADDED");
            assertThat(w.next(5000).path("type").asString()).isEqualTo("DELETED");
        }
    }

    @Test
    void sendInitialEventsEndsWithAnAnnotatedBookmark() throws Exception {
        create("s1", "");
        try (WatchStream w = api.watch(NS + "?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan")) {
            assertThat(w.next(5000).path("type").asString()).isEqualTo("ADDED");
            JsonNode b = w.next(5000);
            assertThat(b.path("type").asString()).isEqualTo("BOOKMARK");
            assertThat(b.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asString())
                    .isEqualTo("true");
        }
    }

    @Test
    void tableWatchEventsCarryOneRowEach() throws Exception {
        create("t1", "");
        try (WatchStream w = api.watch(NS + "?watch=true&resourceVersion=0", TestServer.TABLE_ACCEPT)) {
            JsonNode e = w.next(5000);
            assertThat(e.path("object").path("kind").asString()).isEqualTo("Table");
            assertThat(e.path("object").path("rows")).hasSize(1);
            assertThat(e.path("object").path("rows").get(0).path("cells").get(0).asString()).isEqualTo("t1");
        }
    }
}
