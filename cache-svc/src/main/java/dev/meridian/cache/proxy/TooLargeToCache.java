package dev.meridian.cache.proxy;

/** The origin's body is over the cacheable size: the request is streamed through instead. */
final class TooLargeToCache extends RuntimeException {

    TooLargeToCache() {
        super("body over the cacheable size", null, false, false);
    }
}
