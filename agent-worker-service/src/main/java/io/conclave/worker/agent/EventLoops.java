package io.conclave.worker.agent;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Spreads sub-tasks over all of Vert.x' event loops. The Kafka channel hands every record over on one event-loop
 * context, and a sub-task run there keeps its HTTP stream, its SSE parsing and its timers on that one thread, so a
 * worker process could not use a second core however many sub-tasks it ran at once (the profile of issue 7 showed
 * one {@code vert.x-eventloop} thread with all the CPU and the others idle).
 */
final class EventLoops {

    private final List<Context> contexts;
    private final AtomicInteger next = new AtomicInteger();

    /** One event-loop context per event loop, round robin over Vert.x' event-loop group. */
    EventLoops(Vertx vertx, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one event loop is needed");
        }
        this.contexts = IntStream.range(0, count).mapToObj(i -> newEventLoopContext(vertx)).toList();
    }

    /**
     * On a thread that is not a Vert.x thread, getOrCreateContext() makes a new event-loop context on the group's
     * next event loop — once: the thread keeps it as its sticky context. Hence a new short-lived thread for each.
     */
    private static Context newEventLoopContext(Vertx vertx) {
        var thread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "worker-event-loops"));
        try {
            return CompletableFuture.supplyAsync(vertx::getOrCreateContext, thread).join();
        } finally {
            thread.shutdown();
        }
    }

    /** A fresh duplicated context (its own MDC and locals) on the next event loop. */
    Context nextDuplicatedContext() {
        Context loop = contexts.get(Math.floorMod(next.getAndIncrement(), contexts.size()));
        return VertxContext.createNewDuplicatedContext(loop);
    }
}
