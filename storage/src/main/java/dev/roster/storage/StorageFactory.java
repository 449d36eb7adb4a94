package dev.roster.storage;

import dev.roster.storage.memory.MemoryStorage;
import dev.roster.storage.sqlite.SqliteStorage;
import java.nio.file.Path;
import java.util.List;

/** Opens a backend by the name used on the command line ({@code --storage sqlite|memory}). */
public final class StorageFactory {
    public static final String SQLITE = "sqlite";
    public static final String MEMORY = "memory";
    /** The database file name inside the data directory. */
    public static final String SQLITE_FILE = "roster.db";

    private StorageFactory() {}

    /** The backend names {@link #open} accepts. */
    public static List<String> kinds() {
        return List.of(SQLITE, MEMORY);
    }

    /**
     * @param kind {@code sqlite} (file {@code dataDir/roster.db}) or {@code memory} (ignores dataDir)
     * @throws IllegalArgumentException for an unknown kind
     */
    public static Storage open(String kind, Path dataDir) {
        return switch (kind) {
            case SQLITE -> SqliteStorage.open(dataDir.resolve(SQLITE_FILE));
            case MEMORY -> new MemoryStorage();
            default -> throw new IllegalArgumentException("unknown storage kind '" + kind + "', expected one of " + kinds());
        };
    }
}
