package org.mfkit.core.spi;

/**
 * Result of probing a backend.
 *
 * @param available whether it can run
 * @param detail    when available: what it runs on (e.g. the species or GPU); otherwise the reason it cannot
 */
public record Availability(boolean available, String detail) {
    /** Available, running on {@code detail}. */
    public static Availability available(String detail) {
        return new Availability(true, detail);
    }

    /** Unavailable because of {@code reason}. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason);
    }
}
