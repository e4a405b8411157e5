package dev.meridian.router.pool;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreparedStatementsTest {

    @Test
    void theLeastRecentlyUsedMakesRoomAndUseKeepsAStatementIn() {
        PreparedStatements prepared = new PreparedStatements(2);
        assertNull(prepared.add("a"));
        assertNull(prepared.add("b"));
        assertTrue(prepared.use("a"));

        assertEquals("b", prepared.add("c"), "b was used longest ago");
        assertFalse(prepared.use("b"));
        assertTrue(prepared.use("a"));
        assertEquals("c", prepared.add("d"));
        assertEquals(2, prepared.size());
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PreparedStatements(0));
    }
}
