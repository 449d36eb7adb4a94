package dev.roster.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden files under src/test/resources/golden; {@code -Dgolden.update=true} rewrites them. */
public final class Golden {
    private Golden() {
    }

    public static void assertMatches(String relative, String actual) {
        Path file = Path.of("src/test/resources/golden").resolve(relative);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(file).as("golden file %s missing: run with -Dgolden.update=true", file).exists();
            assertThat(actual).as("golden " + relative).isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
