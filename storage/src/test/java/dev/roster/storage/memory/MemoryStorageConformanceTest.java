package dev.roster.storage.memory;

import dev.roster.storage.Storage;
import dev.roster.storage.StorageConformanceTest;

class MemoryStorageConformanceTest extends StorageConformanceTest {
    @Override
    protected Storage newStorage() {
        return new MemoryStorage();
    }
}
