package io.conclave.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
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
 * and {@code linger.ms=0} and fetched by the next service. This sends a record through seven such hops with bare
 * kafka-clients on the mesh's broker: no framework, no JSON, no work between the hops. Its latency is what the
 * mesh's overhead cannot go below on this machine, whatever the services do.
 */
final class KafkaFloor implements AutoCloseable {

    static final int HOPS = 7;
    private static final String RELAYED = "bench.floor.relayed";
    private static final String DONE = "bench.floor.done";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaProducer<Integer, Integer> producer;
    private final Map<Integer, CompletableFuture<OpenLoad.Outcome>> pending = new ConcurrentHashMap<>();
    /** Each record's key, unique over the floor's runs, so a late record cannot answer another run's. */
    private final AtomicInteger keys = new AtomicInteger();
    private final Thread relay;
    private final Thread receiver;
    private volatile boolean running = true;

    /** Creates the two topics if needed and starts the relay and the receiver, each with its own consumer. */
    KafkaFloor(String bootstrapServers) throws InterruptedException, ExecutionException {
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
                        int hops = record.value();
                        relayProducer.send(new ProducerRecord<>(hops + 1 == HOPS ? DONE : RELAYED, record.key(),
                                hops + 1));
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
                            reply.complete(record.value() == HOPS ? OpenLoad.Outcome.ok(null, 0)
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
        producer.send(new ProducerRecord<>(RELAYED, key, 1), (metadata, failure) -> {
            if (failure != null) {
                pending.remove(key);
                reply.complete(OpenLoad.Outcome.failed("send: " + failure));
            }
        });
        return reply;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
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
