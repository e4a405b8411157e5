package dev.meridian.ratelimit.grpc;

/** A request that cannot be decided (empty domain, no descriptors, oversized input): INVALID_ARGUMENT / 400. */
public final class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
