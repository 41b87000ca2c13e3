package io.conclave.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.conclave.contracts.AgentSpec;
import io.conclave.contracts.ChatMessage;
import io.conclave.contracts.ConclaveEvent;
import io.conclave.contracts.Mode;
import io.conclave.contracts.SubtaskAssigned;
import io.conclave.contracts.SubtaskKind;
import io.conclave.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Sub-task throughput of one worker process and of two, against a simulator with a concurrency cap — a
 * measurement, not a test: it prints the figures and asserts nothing about them. Sub-tasks go straight onto
 * {@code conclave.subtasks} and their outcomes are counted on {@code conclave.join}, so gateway, planner and
 * aggregator are not on the measured path. Not matched by the default test patterns; run it with
 * {@code ./mvnw -B -o -pl e2e-tests verify -Dtest=WorkerThroughputBench}.
 */
class WorkerThroughputBench {

    static final int SUBTASKS = Integer.getInteger("bench.subtasks", 160);
    static final int K = Integer.getInteger("bench.k", 4);
    static final Map<String, String> SIMULATOR = Map.of("SIM_MAX_CONCURRENCY", System.getProperty("bench.cap", "16"),
            "SIM_TTFT_MS", "500", "SIM_TOKEN_MS", "2", "SIM_TOKENS", "64");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void oneWorkerThenTwo() throws Exception {
        double one = measure(1);
        double two = measure(2);
        System.out.printf("%nworker throughput: %d sub-tasks, K=%d per worker, simulator %s, 16 partitions%n"
                + "  1 worker : %.2f sub-tasks/s%n  2 workers: %.2f sub-tasks/s (x%.2f)%n",
                SUBTASKS, K, SIMULATOR, one, two, two / one);
    }

    private double measure(int workers) throws Exception {
        try (Mesh mesh = Mesh.start(Mesh.Options.defaults().withWorkers(workers).withSimulatorEnv(SIMULATOR)
                .withServiceEnv(Mesh.WORKER, Map.of("CONCLAVE_WORKER_CONCURRENCY", String.valueOf(K))))) {
            run(mesh, 2 * K * workers); // warm-up: JIT, connections, partition assignment
            long start = System.nanoTime();
            run(mesh, SUBTASKS);
            double seconds = (System.nanoTime() - start) / 1e9;
            JsonNode stats = new Simulator(mesh).stats();
            System.out.printf("%d worker(s): %d sub-tasks in %.1f s; simulator peak concurrency %d, peak queued %d%n",
                    workers, SUBTASKS, seconds, stats.path("peakConcurrency").asInt(), stats.path("peakQueued").asInt());
            return SUBTASKS / seconds;
        }
    }

    /** Sends {@code count} agent sub-tasks and returns once every one has its outcome on the join topic. */
    private static void run(Mesh mesh, int count) throws Exception {
        Set<String> open = new HashSet<>();
        try (KafkaConsumer<String, String> join = consumer(mesh);
                KafkaProducer<String, String> producer = producer(mesh)) {
            join.subscribe(List.of(Topics.JOIN));
            while (join.assignment().isEmpty()) {
                join.poll(Duration.ofMillis(100));
            }
            join.seekToEnd(join.assignment());
            join.assignment().forEach(join::position);
            for (int i = 0; i < count; i++) {
                SubtaskAssigned task = task(i);
                open.add(task.subtaskId());
                producer.send(new ProducerRecord<>(Topics.SUBTASKS, task.subtaskId(), JSON.writeValueAsString(task)));
            }
            producer.flush();
            long until = System.currentTimeMillis() + 600_000;
            while (!open.isEmpty() && System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> record : join.poll(Duration.ofMillis(200))) {
                    JsonNode event = JSON.readTree(record.value());
                    if ("SubtaskCompleted".equals(event.path("type").asText())) {
                        open.remove(event.path("subtaskId").asText());
                    } else if ("SubtaskFailed".equals(event.path("type").asText())
                            && open.contains(event.path("subtaskId").asText())) {
                        throw new IllegalStateException("a sub-task failed: " + event);
                    }
                }
            }
            if (!open.isEmpty()) {
                throw new IllegalStateException(open.size() + " sub-tasks never completed");
            }
        }
    }

    private static SubtaskAssigned task(int i) {
        String correlationId = "bench-" + UUID.randomUUID();
        String subtaskId = correlationId + ".a1";
        return new SubtaskAssigned(correlationId, UUID.randomUUID().toString(), Instant.now(),
                ConclaveEvent.SCHEMA_VERSION, subtaskId, SubtaskKind.AGENT, Mode.CONTEMPLATING,
                new AgentSpec("a1", subtaskId, "solver", "You are the solver.", "default", null, 0.5, 0),
                List.of(new ChatMessage("user", "Benchmark question " + i)), null, false,
                Instant.now().plusSeconds(600));
    }

    private static KafkaConsumer<String, String> consumer(Mesh mesh) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(config);
    }

    private static KafkaProducer<String, String> producer(Mesh mesh) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }
}
