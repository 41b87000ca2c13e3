package io.conclave.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks and probes ports on 127.0.0.1; JDK only, because the launcher uses it in consumer JVMs.
 *
 * <p>Ports are picked below the kernel's ephemeral range: a port from {@code new ServerSocket(0)} is an ephemeral
 * one, and between the pick and the server's bind any outgoing connection (the server's own Kafka client, say) may
 * take it as its local port, so the server fails with "port in use". Below the range only listeners can hold a
 * port, and the probe's bind finds those. Ports are handed out in turn from a random start, so one JVM never hands
 * out the same port twice before the server it was meant for binds it.
 */
public final class LoopbackPorts {

    public static final String HOST = "127.0.0.1";

    /** The first port handed out; ports up to the ephemeral range's start ({@code 32768} by default) follow. */
    static final int FIRST = 15_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 20));

    private LoopbackPorts() {
    }

    /** Returns a port below the ephemeral range that was free a moment ago. */
    public static int pickFree() {
        return pickFree(1)[0];
    }

    /** Returns {@code count} distinct ports below the ephemeral range that were free a moment ago. */
    public static int[] pickFree(final int count) {
        final int span = ephemeralStart() - FIRST;
        final List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            for (int tried = 0; sockets.size() < count && tried < span; tried++) {
                final int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), span);
                try {
                    sockets.add(new ServerSocket(port, 1, InetAddress.getByName(HOST)));
                } catch (IOException taken) {
                    // A listener holds it; try the next one.
                }
            }
            if (sockets.size() < count) {
                throw new IllegalStateException("No " + count + " free ports on " + HOST + " between " + FIRST
                        + " and " + (FIRST + span - 1));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            sockets.forEach(LoopbackPorts::closeQuietly);
        }
    }

    /** True if something accepts a TCP connection on {@code 127.0.0.1:port} right now. */
    public static boolean accepts(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 250);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first port the kernel hands to outgoing connections, from Linux's setting where it has one. A range that
     * starts too low to leave room below it counts as the default's, so ports then come from inside it, as they
     * did from {@code new ServerSocket(0)}.
     */
    static int ephemeralStart() {
        try {
            final int start = Integer.parseInt(Files.readString(EPHEMERAL_RANGE).trim().split("\\s+")[0]);
            return start > FIRST + 1_000 ? start : DEFAULT_EPHEMERAL_START;
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    private static void closeQuietly(final ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // The port was only probed; there is nothing else to release.
        }
    }
}
