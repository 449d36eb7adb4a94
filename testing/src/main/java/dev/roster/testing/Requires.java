package dev.roster.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The one way a roster test may skip. Only two reasons are honest skips: the test needs root, or the machine's
 * kernel lacks a feature. Their messages start with {@link #ROOT} or {@link #KERNEL}, which {@code ./run-tests}
 * recognises; any other skip (a missing tool, missing data) fails the run under {@code CI=true}. A missing tool
 * also fails the test itself under {@code CI=true}, so the failure names the tool. (Skips go through
 * {@code Assumptions.abort}, whose message is kept as given; {@code assumeTrue} would prefix it.)
 */
public final class Requires {
    /** Prefix of a skip because the test needs root. */
    public static final String ROOT = "needs root: ";
    /** Prefix of a skip because the kernel lacks a feature. */
    public static final String KERNEL = "needs kernel feature: ";
    /** Prefix of a skip because a tool is not installed (a failure under CI=true). */
    public static final String TOOL = "missing tool: ";

    private Requires() {}

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips unless running as root; {@code forWhat} says what root is for (e.g. "network namespaces"). */
    public static void root(String forWhat) {
        if (!isRoot()) Assumptions.abort(ROOT + forWhat);
    }

    /** Skips when the kernel lacks {@code feature}. */
    public static void kernelFeature(String feature, boolean present) {
        if (!present) Assumptions.abort(KERNEL + feature);
    }

    /** Skips (fails under CI=true) when {@code tool} is not installed. */
    public static void tool(String tool, boolean present) {
        tool(tool, present, ci());
    }

    static void tool(String tool, boolean present, boolean ci) {
        if (present) return;
        if (ci) throw new AssertionError(TOOL + tool + " (CI=true: every tool a test needs must be installed)");
        Assumptions.abort(TOOL + tool);
    }

    /** {@link #tool} for each command that is not an executable on the PATH. */
    public static void onPath(String... commands) {
        for (String c : commands) tool(c + " on the PATH", onPathNow(c));
    }

    static boolean onPathNow(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
