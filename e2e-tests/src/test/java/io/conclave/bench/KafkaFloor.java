package io.conclave.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;

/**
 * The Kafka part of the physical limit. A request's critical path through the mesh is seven records in a row
 * (request, plan, sub-task, partial, synthesis sub-task, its outcome, result), each produced with {@code acks=all}
 * and {@code linger.ms=0} and fetched by the next service. This sends a record through such hops with bare
 * kafka-clients on the mesh's broker: no framework, no JSON, no work between the hops. Through seven in a row
 * ({@link #CHAIN}) its latency is what the mesh's overhead cannot go below on this machine, whatever the services do;
 * through one, what a hop costs when it comes on its own, as the mesh's hops do between other work, instead of right
 * after another with every thread on its path just awake. {@link #asContemplating} sends it through the six hops of
 * a contemplating request's path as they come there: two in a row, a pause as long as an agent's LLM call, two, a
 * pause as long as the synthesis, two; {@link #withoutPauses} takes the pauses out of the latency.
 */
final class KafkaFloor implements AutoCloseable {

    /** The records on a request's critical path through the mesh. */
    static final int CHAIN = 7;
    /**
     * The records on a contemplating request's path since the planner sends the plan with the sub-tasks: request,
     * sub-task (then the agents' LLM calls), partial, synthesis sub-task (then the synthesis call), outcome, result.
     */
    static final int CONTEMPLATING = 6;
    private static final Set<Integer> CONTEMPLATING_PAUSES = Set.of(2, 4);
    private static final String RELAYED = "bench.floor.relayed";
    private static final String DONE = "bench.floor.done";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaProducer<Integer, Integer> producer;
    private final Map<Integer, CompletableFuture<OpenLoad.Outcome>> pending = new ConcurrentHashMap<>();
    /** Each record's key, unique over the floor's runs, so a late record cannot answer another run's. */
    private final AtomicInteger keys = new AtomicInteger();
    private final int hops;
    /** Each record's time paused so far, in nanoseconds, by key. */
    private final Map<Integer, Long> paused = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "bench-floor-pauses"));
    private final Thread relay;
    private final Thread receiver;
    private volatile boolean running = true;

    /**
     * Creates the two topics if needed and starts the relay and the receiver, each with its own consumer.
     *
     * @param hops the records each send goes through before it arrives, at least 1
     */
    KafkaFloor(String bootstrapServers, int hops) throws InterruptedException, ExecutionException {
        this(bootstrapServers, hops, Set.of(), Duration.ZERO);
    }

    /**
     * Through the six hops of a contemplating request's path, with a pause of {@code pause} after the sub-task's hop
     * and after the synthesis sub-task's, as the LLM calls make there.
     */
    static KafkaFloor asContemplating(String bootstrapServers, Duration pause)
            throws InterruptedException, ExecutionException {
        return new KafkaFloor(bootstrapServers, CONTEMPLATING, CONTEMPLATING_PAUSES, pause);
    }

    /**
     * @param pauseAfter the hops after which the relay waits {@code pause} before it sends the record on
     */
    private KafkaFloor(String bootstrapServers, int hops, Set<Integer> pauseAfter, Duration pause)
            throws InterruptedException, ExecutionException {
        if (hops < 1) {
            throw new IllegalArgumentException("a floor needs at least one hop, not " + hops);
        }
        this.hops = hops;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            for (String topic : List.of(RELAYED, DONE)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        producer = producer(bootstrapServers);
        KafkaProducer<Integer, Integer> relayProducer = producer(bootstrapServers);
        KafkaConsumer<Integer, Integer> relayConsumer = consumerAtEnd(bootstrapServers, RELAYED);
        KafkaConsumer<Integer, Integer> doneConsumer = consumerAtEnd(bootstrapServers, DONE);
        relay = new Thread(() -> {
            try (relayConsumer; relayProducer) {
                while (running) {
                    for (ConsumerRecord<Integer, Integer> record : relayConsumer.poll(POLL)) {
                        int next = record.value() + 1;
                        var onward = new ProducerRecord<>(topicOf(next), record.key(), next);
                        if (pauseAfter.contains(record.value())) {
                            long pausedFrom = System.nanoTime();
                            pauses.schedule(() -> {
                                paused.merge(record.key(), System.nanoTime() - pausedFrom, Long::sum);
                                relayProducer.send(onward);
                            }, pause.toNanos(), TimeUnit.NANOSECONDS);
                        } else {
                            relayProducer.send(onward);
                        }
                    }
                }
            }
        }, "bench-floor-relay");
        receiver = new Thread(() -> {
            try (doneConsumer) {
                while (running) {
                    for (ConsumerRecord<Integer, Integer> record : doneConsumer.poll(POLL)) {
                        CompletableFuture<OpenLoad.Outcome> reply = pending.remove(record.key());
                        if (reply != null) {
                            reply.complete(record.value() == hops ? OpenLoad.Outcome.ok(record.key().toString(), 0)
                                    : OpenLoad.Outcome.failed("arrived after " + record.value() + " hops"));
                        }
                    }
                }
            }
        }, "bench-floor-receiver");
        relay.start();
        receiver.start();
    }

    /** Sends a record on its first hop; the future completes when it arrives after the last. */
    CompletableFuture<OpenLoad.Outcome> send() {
        CompletableFuture<OpenLoad.Outcome> reply = new CompletableFuture<>();
        int key = keys.getAndIncrement();
        pending.put(key, reply);
        producer.send(new ProducerRecord<>(topicOf(1), key, 1), (metadata, failure) -> {
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

    /** Where the record goes on its {@code hop}th hop: the receiver's topic on the last one. */
    private String topicOf(int hop) {
        return hop == hops ? DONE : RELAYED;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        pauses.shutdownNow();
        relay.join();
        receiver.join();
        producer.close();
    }

    /** As the services' producers: every record acknowledged by the in-sync replicas, none waiting for a batch. */
    private static KafkaProducer<Integer, Integer> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all", "linger.ms", 0,
                "enable.idempotence", true), new IntegerSerializer(), new IntegerSerializer());
    }

    /** Assigned (no group) at the end of the topic, with its position fetched before the first record is sent. */
    private static KafkaConsumer<Integer, Integer> consumerAtEnd(String bootstrapServers, String topic) {
        KafkaConsumer<Integer, Integer> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "enable.auto.commit", false), new IntegerDeserializer(), new IntegerDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
        return consumer;
    }
}
