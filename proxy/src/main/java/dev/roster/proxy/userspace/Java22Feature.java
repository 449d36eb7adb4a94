package dev.roster.proxy.userspace;

import java.util.Locale;

/**
 * Loads a feature implemented in src/main/java22 (the FFM API, final from Java 22), which the
 * Java 21 code reaches only by reflection: either an instance of the implementation or a
 * one-line reason why this JVM and OS cannot have it.
 */
final class Java22Feature {
    private Java22Feature() {}

    /** Why {@link #load} gave nothing, in one line for the log. */
    static final class Unavailable extends Exception {
        Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Throws when this JVM or OS cannot run such a feature at all; {@code what} as for {@link #load}. */
    static void requireSupported(String what) throws Unavailable {
        int feature = Runtime.version().feature();
        if (feature < 22) throw new Unavailable("Java " + feature + " has no final FFM API (needs 22+)");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) throw new Unavailable(what + " is Linux-only, this is " + os);
    }

    /**
     * A new {@code implementation} built with {@code args} (of {@code parameterTypes}); {@code what}
     * names the Linux facility it needs, e.g. "splice(2)".
     */
    static Object load(String what, String implementation, Class<?>[] parameterTypes, Object... args) throws Unavailable {
        requireSupported(what);
        try {
            return Class.forName(implementation).getDeclaredConstructor(parameterTypes).newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new Unavailable(String.valueOf(e.getCause().getMessage()));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new Unavailable("cannot load " + implementation + ": " + e);
        }
    }
}
