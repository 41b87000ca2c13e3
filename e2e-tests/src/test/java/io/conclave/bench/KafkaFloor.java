package io.conclave.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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
 * after another with every thread on its path just awake. {@link ContemplatingFloor} lays the hops out as the mesh
 * does.
 */
final class KafkaFloor implements AutoCloseable {

    /** The records on a request's critical path through the mesh. */
    static final int CHAIN = 7;
    private static final String RELAYED = "bench.floor.relayed";
    private static final String DONE = "bench.floor.done";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaProducer<Integer, Integer> producer;
    private final Map<Integer, CompletableFuture<OpenLoad.Outcome>> pending = new ConcurrentHashMap<>();
    /** Each record's key, unique over the floor's runs, so a late record cannot answer another run's. */
    private final AtomicInteger keys = new AtomicInteger();
    private final int hops;
    private final Thread relay;
    private final Thread receiver;
    private volatile boolean running = true;

    /**
     * Creates the two topics if needed and starts the relay and the receiver, each with its own consumer.
     *
     * @param hops the records each send goes through before it arrives, at least 1
     */
    KafkaFloor(String bootstrapServers, int hops) throws InterruptedException, ExecutionException {
        if (hops < 1) {
            throw new IllegalArgumentException("a floor needs at least one hop, not " + hops);
        }
        this.hops = hops;
        createTopics(bootstrapServers, List.of(RELAYED, DONE), 1);
        producer = producer(bootstrapServers);
        KafkaProducer<Integer, Integer> relayProducer = producer(bootstrapServers);
        KafkaConsumer<Integer, Integer> relayConsumer = consumerAtEnd(bootstrapServers, RELAYED, 1);
        KafkaConsumer<Integer, Integer> doneConsumer = consumerAtEnd(bootstrapServers, DONE, 1);
        relay = new Thread(() -> {
            try (relayConsumer; relayProducer) {
                while (running) {
                    for (ConsumerRecord<Integer, Integer> record : relayConsumer.poll(POLL)) {
                        int next = record.value() + 1;
                        relayProducer.send(new ProducerRecord<>(topicOf(next), record.key(), next));
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
                            reply.complete(record.value() == hops ? OpenLoad.Outcome.ok(null, 0)
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

    /** Where the record goes on its {@code hop}th hop: the receiver's topic on the last one. */
    private String topicOf(int hop) {
        return hop == hops ? DONE : RELAYED;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        relay.join();
        receiver.join();
        producer.close();
    }

    /** Creates each topic with that many partitions, unless it exists. */
    static void createTopics(String bootstrapServers, List<String> topics, int partitions)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    /** As the services' producers: every record acknowledged by the in-sync replicas, none waiting for a batch. */
    static KafkaProducer<Integer, Integer> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all", "linger.ms", 0,
                "enable.idempotence", true), new IntegerSerializer(), new IntegerSerializer());
    }

    /**
     * Assigned (no group) to every partition of the topic at its end, with the positions fetched before the first
     * record is sent.
     */
    static KafkaConsumer<Integer, Integer> consumerAtEnd(String bootstrapServers, String topic, int partitions) {
        KafkaConsumer<Integer, Integer> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                "enable.auto.commit", false), new IntegerDeserializer(), new IntegerDeserializer());
        List<TopicPartition> assigned = IntStream.range(0, partitions)
                .mapToObj(partition -> new TopicPartition(topic, partition)).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        return consumer;
    }
}
