package io.conclave.worker.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopsTest {

    @Test
    void subTasksGoRoundRobinOverDistinctEventLoops() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));
        try {
            EventLoops loops = new EventLoops(vertx, 4);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < 8; i++) {
                Context context = loops.nextDuplicatedContext();
                CompletableFuture<Void> ran = new CompletableFuture<>();
                context.runOnContext(ignored -> {
                    threads.add(Thread.currentThread().getName());
                    ran.complete(null);
                });
                ran.get(5, TimeUnit.SECONDS);
            }
            assertEquals(4, threads.size(), "threads used: " + threads);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
