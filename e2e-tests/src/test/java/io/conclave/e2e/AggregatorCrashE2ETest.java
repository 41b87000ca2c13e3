package io.conclave.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conclave.contracts.Headers;
import io.conclave.contracts.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The aggregator holds open joins; killing it with SIGKILL mid-join must lose nothing and answer once. */
class AggregatorCrashE2ETest extends SharedMeshTest {

    AggregatorCrashE2ETest(Mesh mesh) {
        super(mesh);
    }

    @Test
    void aJoinOpenWhenTheAggregatorIsKilledCompletesAfterItsRestart() throws Exception {
        simulator.reset("{\"ttft_ms\": 4000}");
        CompletableFuture<JsonHttp.Reply> pending = JsonHttp.postAsync(mesh.gatewayUrl() + "/v1/chat/completions", """
                {"model": "conclave-contemplating", "messages": [{"role": "user", "content": "Survive a crash?"}],
                 "conclave": {"agents": 4, "deadline_ms": 60000}}""");
        awaitAgentCalls(4);
        Thread.sleep(500); // the plan reached the aggregator's store before its sub-tasks reached the agents

        long restartStart = System.currentTimeMillis();
        mesh.killAndRestart("aggregator-service");
        System.out.printf("e2e: aggregator killed and ready again in %d ms%n",
                System.currentTimeMillis() - restartStart);

        JsonHttp.Reply reply = JsonHttp.join(pending);
        assertEquals(200, reply.status(), reply.body().toString());
        assertEquals("complete", reply.body().at("/conclave/status").asText(), reply.body().toString());
        assertEquals(5, reply.body().at("/conclave/agents").size(), "four agents and the synthesis");
        String correlationId = reply.header(Headers.CORRELATION_ID);
        long published = resultsFor(correlationId);
        assertTrue(published >= 1, "the result is on " + Topics.RESULTS);
        System.out.printf("e2e: %d RequestCompleted record(s) for the crashed join; the client got one answer%n",
                published);
    }

    private void awaitAgentCalls(int count) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (simulator.stats().path("calls").asInt() < count) {
            assertTrue(System.currentTimeMillis() < deadline, "agents never called the LLM");
            Thread.sleep(50);
        }
    }

    private long resultsFor(String correlationId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESULTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (correlationId.equals(record.key())) {
                        count++;
                    }
                }
            }
            return count;
        }
    }
}
