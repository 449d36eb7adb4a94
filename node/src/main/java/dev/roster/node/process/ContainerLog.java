package dev.roster.node.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * The log file of one container run, in the CRI format the kubelet reads ({@code 2025-06-01T12:00:00.123456789Z
 * stdout F text}): one file per run, {@code <pod dir>/logs/<container>/<run>.log}, where run = the restart count
 * when it started. Lines are written whole and flushed at once so followers see them.
 */
public final class ContainerLog implements AutoCloseable {
    public static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss").appendFraction(ChronoField.NANO_OF_SECOND, 9, 9, true)
            .appendLiteral('Z').toFormatter().withZone(ZoneOffset.UTC);

    private final Path file;
    private final Clock clock;
    private final OutputStream out;

    public ContainerLog(Path file, Clock clock) throws IOException {
        this.file = file;
        this.clock = clock;
        Files.createDirectories(file.getParent());
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static Path file(Path podDir, String container, int run) {
        return podDir.resolve("logs").resolve(container).resolve(run + ".log");
    }

    public Path file() { return file; }

    public void stdout(String line) { write("stdout", line); }

    public void stderr(String line) { write("stderr", line); }

    public synchronized void write(String stream, String line) {
        String text = RFC3339_NANO.format(clock.instant()) + " " + stream + " F " + line + "\n";
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // the pod directory is gone (pod deleted): nothing to keep
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed or gone
        }
    }
}
