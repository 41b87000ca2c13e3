package io.conclave.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void picksDistinctFreePortsBelowTheEphemeralRange() throws Exception {
        final int[] ports = LoopbackPorts.pickFree(50);

        assertEquals(50, Arrays.stream(ports).distinct().count(), Arrays.toString(ports));
        for (final int port : ports) {
            assertTrue(port >= LoopbackPorts.FIRST && port < LoopbackPorts.ephemeralStart(), "port " + port);
            try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
                assertEquals(port, bound.getLocalPort());
            }
        }
    }

    @Test
    void skipsAPortThatAListenerHolds() throws Exception {
        final int span = LoopbackPorts.ephemeralStart() - LoopbackPorts.FIRST;
        final int last = LoopbackPorts.pickFree();
        final int next = LoopbackPorts.FIRST + Math.floorMod(last - LoopbackPorts.FIRST + 1, span);

        try (ServerSocket listener = new ServerSocket(next, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
            assertNotEquals(next, LoopbackPorts.pickFree());
        }
    }
}
