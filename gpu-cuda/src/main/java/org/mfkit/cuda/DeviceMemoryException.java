package org.mfkit.cuda;

/**
 * The GPU could not provide the device memory a call needs: either an allocation failed, or
 * not even one row/system/rating of a chunked kernel fits in the memory that is free. The
 * message names what was being allocated, the bytes asked for and the bytes free.
 */
public final class DeviceMemoryException extends IllegalStateException {
    private final long requestedBytes;
    private final long freeBytes;

    /**
     * @param what           what the memory was for, e.g. "matrix 1000000×64"
     * @param requestedBytes bytes asked for
     * @param freeBytes      bytes the device reported free at the time
     */
    public DeviceMemoryException(String what, long requestedBytes, long freeBytes) {
        super("cannot allocate " + requestedBytes + " bytes (" + mib(requestedBytes) + ") of device memory for "
                + what + ": " + freeBytes + " bytes (" + mib(freeBytes) + ") free");
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /** Bytes asked for. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** Bytes free on the device when the request failed. */
    public long freeBytes() {
        return freeBytes;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
