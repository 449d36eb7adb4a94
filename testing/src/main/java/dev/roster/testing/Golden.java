package dev.roster.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files: expected output kept in the repository. {@code -Dgolden.update=true} rewrites them from the actual
 * output (then review the diff). The default directory is {@code -Dgolden.dir}, else the module's
 * {@code src/test/resources/golden} (Maven runs tests in the module directory).
 */
public final class Golden {
    private final Path dir;

    private Golden(Path dir) {
        this.dir = dir;
    }

    public static Golden in(Path dir) {
        return new Golden(dir);
    }

    /** The module's golden directory. */
    public static Golden standard() {
        String d = System.getProperty("golden.dir");
        return in(d != null ? Path.of(d) : Path.of("src", "test", "resources", "golden"));
    }

    public static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }

    /** Compares {@code actual} with the golden file {@code name} (or rewrites it with -Dgolden.update=true). */
    public void assertMatches(String name, String actual) {
        Path file = dir.resolve(name);
        try {
            if (updating()) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
            assertThat(actual).as("output vs golden file %s (regenerate with -Dgolden.update=true)", file)
                    .isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
