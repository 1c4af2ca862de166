package org.mfkit.core.spi;

/**
 * Entry in {@code META-INF/services/org.mfkit.core.spi.BackendProvider}: names a backend,
 * tells whether it can run here (without throwing, even when its native libraries or JDK
 * modules are missing) and opens it.
 */
public interface BackendProvider {
    /** Registry name. */
    String name();

    /** One line for listings. */
    String description();

    /** Preference for "best available": higher wins (GPU 300, vector 200, scalar 100). */
    int priority();

    /**
     * Whether the backend can run in this JVM on this machine, and if not why. Must never
     * throw: missing classes, libraries or devices become an unavailable result.
     */
    Availability probe();

    /** Opens the backend; only called after {@link #probe()} said available. */
    KernelBackend open(BackendOptions options);
}
