package dev.roster.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.storage.memory.MemoryStorage;
import dev.roster.storage.sqlite.SqliteStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageFactoryTest {
    @TempDir
    Path dir;

    @Test
    void opensEachKind() {
        Map<String, Class<? extends Storage>> kinds = Map.of("memory", MemoryStorage.class, "sqlite", SqliteStorage.class);
        kinds.forEach((kind, type) -> {
            try (Storage storage = StorageFactory.open(kind, dir.resolve("data"))) {
                assertThat(storage).isInstanceOf(type);
                storage.create("/k", new byte[] {1});
            }
        });
        assertThat(Files.exists(dir.resolve("data").resolve("roster.db"))).isTrue();
    }

    @Test
    void refusesUnknownKinds() {
        assertThatThrownBy(() -> StorageFactory.open("etcd3", dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqlite");
    }
}
