package org.mfkit.core;

/**
 * One row of the registry's listing.
 *
 * @param name        registry name
 * @param description one line about the backend
 * @param priority    preference for "best available" (higher wins)
 * @param available   whether it can run here
 * @param detail      what it runs on when available, else why not
 */
public record BackendInfo(String name, String description, int priority, boolean available, String detail) {
    @Override
    public String toString() {
        return name + ": " + (available ? "available (" + detail + ")" : "unavailable: " + detail);
    }
}
