package org.mfkit.core.spi;

import org.mfkit.core.Check;

/**
 * Options for opening a backend.
 *
 * @param threads worker threads for CPU backends; 0 means {@code Runtime.availableProcessors()}
 * @param device  device ordinal for GPU backends
 */
public record BackendOptions(int threads, int device) {
    /** Validates the fields. */
    public BackendOptions {
        Check.nonNegative("threads", threads);
        Check.nonNegative("device", device);
    }

    /** All processors, device 0. */
    public static BackendOptions defaults() {
        return new BackendOptions(0, 0);
    }

    /** The given thread count, device 0. */
    public static BackendOptions threads(int threads) {
        return new BackendOptions(threads, 0);
    }

    /** {@link #threads} with 0 resolved to the processor count. */
    public int resolvedThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
