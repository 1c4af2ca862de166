package org.mfkit.core;

/** A backend was asked for by name but cannot run here; the message says why and lists what can. */
public final class BackendUnavailableException extends IllegalStateException {
    /** @param message the reason and the available backends */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
