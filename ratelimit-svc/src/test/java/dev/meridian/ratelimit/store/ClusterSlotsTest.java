package dev.meridian.ratelimit.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Values from the Redis Cluster specification. */
class ClusterSlotsTest {

    @Test
    void crc16IsXmodem() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, ClusterSlots.crc16(check, 0, check.length));
    }

    @Test
    void hashTagsDecideTheSlot() {
        assertEquals(ClusterSlots.slot("{user1000}.following"), ClusterSlots.slot("{user1000}.followers"));
        assertEquals(ClusterSlots.slot("foo{}{bar}"), ClusterSlots.slot("foo{}{bar}"), "an empty tag hashes the whole key");
        assertEquals(ClusterSlots.slot("bar"), ClusterSlots.slot("foo{bar}{zap}"));
        assertEquals(12182, ClusterSlots.slot("foo"));
    }
}
