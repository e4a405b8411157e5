package dev.meridian.cache.proxy;

/** The origin could not be reached (502) or did not answer in time (504). */
final class OriginUnavailable extends RuntimeException {

    private final int status;

    OriginUnavailable(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
