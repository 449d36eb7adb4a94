package dev.roster.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files of this package (the api module cannot use the testing module's Golden): -Dgolden.update=true rewrites them. */
final class GoldenFile {
    static final Path DIR = Path.of("src/test/resources/crd");

    private GoldenFile() {}

    static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual);
        }
        assertThat(file).as("golden file %s (create it with -Dgolden.update=true)", file).exists();
        assertThat(actual).as("output vs golden file %s (regenerate with -Dgolden.update=true)", file).isEqualTo(Files.readString(file));
    }
}
