package dev.meridian.ws.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MembershipTest {

    private static NodeRecord node(String id, int connections, boolean draining) {
        return new NodeRecord(id, "ws://" + id, connections, 0, 0, draining, 0);
    }

    @Test
    void imbalanceIsTheBusiestNodeOverTheMeanOfServingNodes() {
        List<NodeRecord> nodes = List.of(node("a", 300, false), node("b", 100, false), node("c", 200, false), node("d", 900, true));
        assertEquals(1.5, Membership.imbalance(nodes), 1e-9);
        assertEquals(0, Membership.imbalance(List.of(node("a", 0, false))));
    }

    @Test
    void aNodeOverFactorTimesTheMeanShedsDownToTheMean() {
        NodeRecord busy = node("a", 400, false);
        List<NodeRecord> nodes = List.of(busy, node("b", 100, false), node("c", 100, false));
        assertEquals(200, Membership.excess(busy, nodes, 1.5, 20));
    }

    @Test
    void noSheddingWithinTheFactorBelowTheMinimumAloneOrDisabled() {
        NodeRecord a = node("a", 140, false);
        List<NodeRecord> nodes = List.of(a, node("b", 100, false));
        assertEquals(0, Membership.excess(a, nodes, 1.5, 20));
        NodeRecord small = node("a", 10, false);
        assertEquals(0, Membership.excess(small, List.of(small, node("b", 0, false)), 1.5, 20));
        assertEquals(0, Membership.excess(a, List.of(a), 1.5, 20));
        assertEquals(0, Membership.excess(node("a", 400, false), List.of(node("a", 400, false), node("b", 0, false)), 0, 20));
    }
}
