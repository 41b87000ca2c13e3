package io.conclave.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka part of the physical limit with the hops laid out as a contemplating request's are in the mesh: six
 * records on four topics, read by four consumers of their own, each of which sends on with a producer of its own, as
 * the services do, and two pauses as long as the LLM calls:
 * <ol>
 * <li>the "gateway" sends the request; the "planner" reads it and sends the sub-task;</li>
 * <li>the "worker" reads the sub-task, waits as long as an agent's call and sends the partial;</li>
 * <li>the "aggregator" reads it and sends the synthesis sub-task on the sub-tasks' topic;</li>
 * <li>the worker reads that, waits as long as the synthesis and sends the outcome on the partials' topic;</li>
 * <li>the aggregator reads it and sends the result, which the gateway reads.</li>
 * </ol>
 * No framework, no JSON, no work besides the pauses, which {@link #withoutPauses} takes out of the latency: what the
 * mesh's overhead cannot go below on this machine with its hops coming as they do.
 */
final class ContemplatingFloor implements AutoCloseable {

    /** The records on a contemplating request's path: request, sub-task, partial, synthesis, outcome, result. */
    static final int HOPS = 6;
    private static final String REQUESTS = "bench.path.requests";
    private static final String SUBTASKS = "bench.path.subtasks";
    private static final String JOIN = "bench.path.join";
    private static final String RESULTS = "bench.path.results";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaProducer<Integer, Integer> gateway;
    private final Map<Integer, CompletableFuture<OpenLoad.Outcome>> pending = new ConcurrentHashMap<>();
    /** Each record's time paused so far, in nanoseconds, by key. */
    private final Map<Integer, Long> paused = new ConcurrentHashMap<>();
    /** Each record's key, unique over the floor's runs, so a late record cannot answer another run's. */
    private final AtomicInteger keys = new AtomicInteger();
    private final ScheduledExecutorService llmCalls = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "bench-path-llm-calls"));
    private final List<Thread> consumers;
    private volatile boolean running = true;

    /**
     * Creates the four topics if needed and starts the planner's, the worker's, the aggregator's and the gateway's
     * consumers.
     *
     * @param llmCall how long the worker waits before it sends a partial or the synthesis' outcome
     */
    ContemplatingFloor(String bootstrapServers, Duration llmCall) throws InterruptedException, ExecutionException {
        KafkaFloor.createTopics(bootstrapServers, List.of(REQUESTS, SUBTASKS, JOIN, RESULTS));
        gateway = KafkaFloor.producer(bootstrapServers);
        consumers = List.of(
                relay(bootstrapServers, REQUESTS, "planner",
                        (record, planner) -> planner.send(onward(SUBTASKS, record))),
                relay(bootstrapServers, SUBTASKS, "worker", (record, worker) -> {
                    long from = System.nanoTime();
                    llmCalls.schedule(() -> {
                        paused.merge(record.key(), System.nanoTime() - from, Long::sum);
                        worker.send(onward(JOIN, record));
                    }, llmCall.toNanos(), TimeUnit.NANOSECONDS);
                }),
                relay(bootstrapServers, JOIN, "aggregator", (record, aggregator) -> aggregator.send(
                        onward(record.value() == HOPS - 1 ? RESULTS : SUBTASKS, record))),
                relay(bootstrapServers, RESULTS, "gateway", (record, sendsNothing) -> {
                    CompletableFuture<OpenLoad.Outcome> reply = pending.remove(record.key());
                    if (reply != null) {
                        reply.complete(record.value() == HOPS ? OpenLoad.Outcome.ok(record.key().toString(), 0)
                                : OpenLoad.Outcome.failed("arrived after " + record.value() + " hops"));
                    }
                }));
        consumers.forEach(Thread::start);
    }

    /** Sends a request on its first hop; the future completes when its result arrives after the sixth. */
    CompletableFuture<OpenLoad.Outcome> send() {
        CompletableFuture<OpenLoad.Outcome> reply = new CompletableFuture<>();
        int key = keys.getAndIncrement();
        pending.put(key, reply);
        gateway.send(new ProducerRecord<>(REQUESTS, key, 1), (metadata, failure) -> {
            if (failure != null) {
                pending.remove(key);
                reply.complete(OpenLoad.Outcome.failed("send: " + failure));
            }
        });
        return reply;
    }

    /**
     * The run with each record's pauses taken out of its latency: its intended send time moved later by the time it
     * was paused (as its correlation ID, each outcome carries the record's key).
     */
    OpenLoad.Run withoutPauses(OpenLoad.Run run) {
        List<OpenLoad.Sample> samples = run.samples().stream()
                .map(sample -> sample.outcome().ok()
                        ? new OpenLoad.Sample(sample.intendedNanos()
                                + paused.getOrDefault(Integer.valueOf(sample.outcome().correlationId()), 0L),
                                sample.endNanos(), sample.outcome())
                        : sample)
                .toList();
        return new OpenLoad.Run(samples, run.startNanos(), run.endNanos(), run.anchorEpochMs(), run.anchorNanos());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        llmCalls.shutdownNow();
        for (Thread consumer : consumers) {
            consumer.join();
        }
        gateway.close();
    }

    /** What one "service" does with each record it reads, given its own producer (the gateway's sends nothing). */
    @FunctionalInterface
    private interface Step {
        void accept(ConsumerRecord<Integer, Integer> record, KafkaProducer<Integer, Integer> producer);
    }

    private Thread relay(String bootstrapServers, String topic, String service, Step step) {
        KafkaConsumer<Integer, Integer> consumer = KafkaFloor.consumerAtEnd(bootstrapServers, topic);
        KafkaProducer<Integer, Integer> producer = KafkaFloor.producer(bootstrapServers);
        return new Thread(() -> {
            try (consumer; producer) {
                while (running) {
                    for (ConsumerRecord<Integer, Integer> record : consumer.poll(POLL)) {
                        step.accept(record, producer);
                    }
                }
            }
        }, "bench-path-" + service);
    }

    private static ProducerRecord<Integer, Integer> onward(String topic, ConsumerRecord<Integer, Integer> record) {
        return new ProducerRecord<>(topic, record.key(), record.value() + 1);
    }
}
