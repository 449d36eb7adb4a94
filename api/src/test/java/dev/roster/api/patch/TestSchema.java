package dev.roster.api.patch;

/**
 * A schema shaped like the test type of upstream's strategic merge patch tests: a struct that
 * nests itself in merging and non-merging lists. Ours is built a few levels deep since schemas
 * are immutable values (real Kubernetes types never nest themselves).
 */
final class TestSchema {

    private TestSchema() {}

    static final PatchSchema MERGE_ITEM = level(4);

    private static PatchSchema level(int depth) {
        PatchSchema inner = depth == 0 ? PatchSchema.NONE : level(depth - 1);
        PatchSchema retainKeysItem = PatchSchema.builder()
                .set("mergingIntList")
                .mergeList("mergingList", "name", inner)
                .build();
        return PatchSchema.builder()
                .mergeList("mergingList", "name", inner)
                .list("nonMergingList", inner)
                .set("mergingIntList")
                .retainKeys("retainKeysMap", retainKeysItem)
                .mergeRetainList("retainKeysMergingList", "name", inner)
                .build();
    }
}
