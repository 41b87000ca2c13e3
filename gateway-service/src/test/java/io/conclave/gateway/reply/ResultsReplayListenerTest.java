package io.conclave.gateway.reply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conclave.contracts.Topics;
import io.conclave.gateway.support.TestGatewayConfigs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Each assigned results partition starts at the first record of the replay window, or at its end. */
class ResultsReplayListenerTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final TopicPartition P0 = new TopicPartition(Topics.RESULTS, 0);
    private static final TopicPartition P1 = new TopicPartition(Topics.RESULTS, 1);

    /** A consumer that knows, per partition, the first offset at or after a timestamp. */
    private static final class TimedConsumer extends MockConsumer<String, String> {
        final Map<TopicPartition, Long> asked = new HashMap<>();
        final Map<TopicPartition, OffsetAndTimestamp> answers = new HashMap<>();

        TimedConsumer() {
            super("latest");
        }

        @Override
        public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
                Map<TopicPartition, Long> timestamps) {
            asked.putAll(timestamps);
            Map<TopicPartition, OffsetAndTimestamp> result = new HashMap<>();
            timestamps.keySet().forEach(partition -> result.put(partition, answers.get(partition)));
            return result;
        }
    }

    @Test
    void eachPartitionStartsAtTheFirstRecordOfTheLastHour() {
        TimedConsumer consumer = new TimedConsumer();
        consumer.assign(List.of(P0, P1));
        consumer.updateEndOffsets(Map.of(P0, 500L, P1, 70L));
        consumer.answers.put(P0, new OffsetAndTimestamp(420L, NOW.minusSeconds(3000).toEpochMilli()));
        // Nothing in the last hour on P1: start at its end.
        ResultsReplayListener listener = new ResultsReplayListener(TestGatewayConfigs.with(Map.of()),
                Clock.fixed(NOW, ZoneOffset.UTC));

        listener.onPartitionsAssigned(consumer, List.of(P0, P1));

        long hourAgo = NOW.minusSeconds(3600).toEpochMilli();
        assertEquals(Map.of(P0, hourAgo, P1, hourAgo), consumer.asked);
        assertEquals(420L, consumer.position(P0));
        assertEquals(70L, consumer.position(P1));
    }

    @Test
    void theWindowIsConfigurable() {
        TimedConsumer consumer = new TimedConsumer();
        consumer.assign(List.of(P0));
        consumer.answers.put(P0, new OffsetAndTimestamp(5L, NOW.toEpochMilli()));
        new ResultsReplayListener(TestGatewayConfigs.with(Map.of("conclave.gateway.results.replay-window", "10m")),
                Clock.fixed(NOW, ZoneOffset.UTC)).onPartitionsAssigned(consumer, List.of(P0));

        assertEquals(Map.of(P0, NOW.minusSeconds(600).toEpochMilli()), consumer.asked);
        assertEquals(5L, consumer.position(P0));
    }

    @Test
    void noPartitionsNoQuery() {
        TimedConsumer consumer = new TimedConsumer();
        new ResultsReplayListener(TestGatewayConfigs.with(Map.of()), Clock.fixed(NOW, ZoneOffset.UTC))
                .onPartitionsAssigned(consumer, List.of());
        assertEquals(Map.of(), consumer.asked);
    }
}
