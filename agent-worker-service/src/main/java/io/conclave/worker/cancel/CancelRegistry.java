package io.conclave.worker.cancel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Which requests no longer need work on this worker (a client's cancellation or a vote's early stop, from
 * {@code conclave.control}), and the sub-tasks of those requests that are running here. Cancelling a request
 * aborts its running LLM calls — cancelling the call's subscription closes its connection — and makes sub-tasks
 * of it that are still queued skip their call. Remembered for {@link #REMEMBER} (well past any deadline), at most
 * {@link #MAX_REMEMBERED} requests.
 */
@ApplicationScoped
public class CancelRegistry {

    static final Duration REMEMBER = Duration.ofMinutes(15);
    static final int MAX_REMEMBERED = 100_000;

    private record Cancelled(String reason, Instant at) {
    }

    private final Map<String, Cancelled> cancelled = new ConcurrentHashMap<>();
    private final Map<String, Set<Runnable>> running = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Counter cancellations;
    private final Counter aborted;

    CancelRegistry(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.cancellations = Counter.builder("conclave.worker.cancellations")
                .description("Requests cancelled on conclave.control while this worker knew them").register(meters);
        this.aborted = Counter.builder("conclave.worker.calls.aborted")
                .description("Sub-tasks whose LLM call was aborted or skipped because their request was cancelled")
                .register(meters);
    }

    /** The reason the request was cancelled, if it was. */
    public Optional<String> cancelled(String correlationId) {
        Cancelled entry = correlationId == null ? null : cancelled.get(correlationId);
        return entry == null ? Optional.empty() : Optional.of(entry.reason());
    }

    /** Records the cancellation and aborts the request's sub-tasks running here. */
    public void cancel(String correlationId, String reason) {
        if (correlationId == null) {
            return;
        }
        forgetOld();
        String why = reason == null || reason.isBlank() ? "the request was cancelled" : reason;
        if (cancelled.putIfAbsent(correlationId, new Cancelled(why, clock.instant())) == null) {
            cancellations.increment();
        }
        Set<Runnable> aborts = running.remove(correlationId);
        if (aborts != null) {
            aborts.forEach(Runnable::run);
        }
    }

    /** Counts a queued sub-task that was skipped because its request was cancelled. */
    public void skipped() {
        aborted.increment();
    }

    /**
     * Runs {@code work} unless its request gets cancelled first: then the work's subscription is cancelled (which
     * aborts its HTTP call) and the {@code Uni} completes with {@code onCancel(reason)} on the sub-task's own
     * Vert.x context.
     */
    public <T> Uni<T> guard(String correlationId, Uni<T> work, Function<String, T> onCancel) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = Vertx.currentContext();
            AtomicBoolean over = new AtomicBoolean();
            Cancellable[] subscription = new Cancellable[1];
            Runnable abort = () -> {
                if (over.compareAndSet(false, true)) {
                    Runnable stop = () -> {
                        if (subscription[0] != null) {
                            subscription[0].cancel();
                        }
                        aborted.increment();
                        emitter.complete(onCancel.apply(cancelled(correlationId).orElse("the request was cancelled")));
                    };
                    if (context != null) {
                        context.runOnContext(ignored -> stop.run());
                    } else {
                        stop.run();
                    }
                }
            };
            running.computeIfAbsent(correlationId, id -> ConcurrentHashMap.newKeySet()).add(abort);
            if (cancelled(correlationId).isPresent()) { // cancelled between the caller's check and registering
                unregister(correlationId, abort);
                abort.run();
                return;
            }
            subscription[0] = work.subscribe().with(item -> {
                if (over.compareAndSet(false, true)) {
                    unregister(correlationId, abort);
                    emitter.complete(item);
                }
            }, failure -> {
                if (over.compareAndSet(false, true)) {
                    unregister(correlationId, abort);
                    emitter.fail(failure);
                }
            });
            emitter.onTermination(() -> {
                unregister(correlationId, abort);
                if (over.compareAndSet(false, true) && subscription[0] != null) {
                    subscription[0].cancel();
                }
            });
        });
    }

    /** Sub-tasks running here, for tests and the log. */
    int running(String correlationId) {
        Set<Runnable> aborts = running.get(correlationId);
        return aborts == null ? 0 : aborts.size();
    }

    private void unregister(String correlationId, Runnable abort) {
        running.computeIfPresent(correlationId, (id, aborts) -> {
            aborts.remove(abort);
            return aborts.isEmpty() ? null : aborts;
        });
    }

    private void forgetOld() {
        Instant horizon = clock.instant().minus(REMEMBER);
        if (cancelled.size() >= MAX_REMEMBERED) {
            cancelled.clear();
        }
        cancelled.values().removeIf(entry -> entry.at().isBefore(horizon));
    }
}
