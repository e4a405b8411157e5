package dev.meridian.glb.dns;

/** Told about every answered query, for metrics and the health page. */
public interface QueryObserver {

    QueryObserver NONE = new QueryObserver() {
    };

    /**
     * @param type   the query type's mnemonic (A, AAAA, SOA…; "malformed" when unparsable)
     * @param rcode  the response code's mnemonic
     * @param region the region answered with, or null
     */
    default void onAnswer(String type, String rcode, String region) {
    }
}
