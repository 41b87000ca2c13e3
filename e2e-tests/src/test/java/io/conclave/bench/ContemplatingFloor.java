package io.conclave.bench;

import io.conclave.kafka.TopicSpec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The Kafka part of the physical limit with the hops laid out as a contemplating request's are in the mesh: six
 * records in a row on four topics with the mesh's partition counts and keys, read by four consumers of their own,
 * each of which sends on with a producer of its own, as the services do, and two pauses as long as the LLM calls:
 * <ol>
 * <li>the "gateway" sends the request; the "planner" reads it and sends N sub-tasks, keyed apart;</li>
 * <li>the "worker" reads each, waits as long as an agent's call and sends its partial, keyed by the request;</li>
 * <li>the "aggregator" reads them and, with the Nth, sends the synthesis sub-task on the sub-tasks' topic;</li>
 * <li>the worker reads that, waits as long as the synthesis and sends the outcome on the partials' topic;</li>
 * <li>the aggregator reads it and sends the result, which the gateway reads.</li>
 * </ol>
 * No framework, no JSON, no work besides the pauses, which {@link #withoutPauses} takes out of the latency (the
 * pause of the agent whose partial completed the join, and the synthesis'): what the mesh's overhead cannot go below
 * on this machine with its hops coming as they do.
 */
final class ContemplatingFloor implements AutoCloseable {

    /** The records on a contemplating request's path: request, sub-task, partial, synthesis, outcome, result. */
    static final int HOPS = 6;
    private static final String REQUESTS = "bench.path.requests";
    private static final String SUBTASKS = "bench.path.subtasks";
    private static final String JOIN = "bench.path.join";
    private static final String RESULTS = "bench.path.results";
    /** Each topic of the floor and the mesh's topic whose partitions it has. */
    private static final Map<String, String> AS_TOPIC = Map.of(REQUESTS, "conclave.requests",
            SUBTASKS, "conclave.subtasks", JOIN, "conclave.join", RESULTS, "conclave.results");
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String PAUSED = "paused-nanos";

    /** The agents of a request; sub-task {@code i} of request {@code key} is keyed {@code key * agents + i}. */
    private final int agents;
    /** The partials each open request has had, by key (read and written on the aggregator's thread only). */
    private final Map<Integer, Integer> partials = new HashMap<>();

    private final KafkaProducer<Integer, Integer> gateway;
    private final Map<Integer, CompletableFuture<OpenLoad.Outcome>> pending = new ConcurrentHashMap<>();
    /**
     * Each answered request's time paused on its path, by key: the pause of the partial that completed its join plus
     * the synthesis', carried from record to record in a header as the mesh's outcomes carry their LLM time.
     */
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
     * @param agents the sub-tasks of each request, at least 1
     * @param llmCall how long the worker waits before it sends a partial or the synthesis' outcome
     */
    ContemplatingFloor(String bootstrapServers, int agents, Duration llmCall)
            throws InterruptedException, ExecutionException {
        if (agents < 1) {
            throw new IllegalArgumentException("a request needs at least one agent, not " + agents);
        }
        this.agents = agents;
        Map<String, Integer> partitions = TopicSpec.load(TopicSpec.DEFAULT_RESOURCE).stream()
                .collect(Collectors.toMap(TopicSpec::name, TopicSpec::partitions));
        for (String topic : AS_TOPIC.keySet()) {
            KafkaFloor.createTopics(bootstrapServers, List.of(topic), partitions.get(AS_TOPIC.get(topic)));
        }
        gateway = KafkaFloor.producer(bootstrapServers);
        consumers = List.of(
                relay(bootstrapServers, REQUESTS, partitions, "planner", (record, planner) -> {
                    for (int agent = 0; agent < agents; agent++) {
                        planner.send(record(SUBTASKS, record.key() * agents + agent, 2, 0));
                    }
                }),
                relay(bootstrapServers, SUBTASKS, partitions, "worker", (record, worker) -> {
                    long from = System.nanoTime();
                    llmCalls.schedule(() -> worker.send(record(JOIN, record.key() / agents, record.value() + 1,
                            pausedOf(record) + System.nanoTime() - from)), llmCall.toNanos(), TimeUnit.NANOSECONDS);
                }),
                relay(bootstrapServers, JOIN, partitions, "aggregator", (record, aggregator) -> {
                    if (record.value() == HOPS - 1) {
                        aggregator.send(record(RESULTS, record.key(), HOPS, pausedOf(record)));
                    } else if (partials.merge(record.key(), 1, Integer::sum) == agents) {
                        partials.remove(record.key());
                        aggregator.send(record(SUBTASKS, record.key() * agents, HOPS - 2, pausedOf(record)));
                    }
                }),
                relay(bootstrapServers, RESULTS, partitions, "gateway", (record, sendsNothing) -> {
                    CompletableFuture<OpenLoad.Outcome> reply = pending.remove(record.key());
                    if (reply != null) {
                        paused.put(record.key(), pausedOf(record));
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
        gateway.send(record(REQUESTS, key, 1, 0), (metadata, failure) -> {
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

    private Thread relay(String bootstrapServers, String topic, Map<String, Integer> partitions, String service,
            Step step) {
        KafkaConsumer<Integer, Integer> consumer = KafkaFloor.consumerAtEnd(bootstrapServers, topic,
                partitions.get(AS_TOPIC.get(topic)));
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

    /** A record on its {@code hop}th hop that has been paused {@code pausedNanos} on its way so far. */
    private static ProducerRecord<Integer, Integer> record(String topic, int key, int hop, long pausedNanos) {
        return new ProducerRecord<>(topic, null, key, hop,
                List.of(new RecordHeader(PAUSED, ByteBuffer.allocate(Long.BYTES).putLong(pausedNanos).array())));
    }

    private static long pausedOf(ConsumerRecord<Integer, Integer> record) {
        return ByteBuffer.wrap(record.headers().lastHeader(PAUSED).value()).getLong();
    }
}
