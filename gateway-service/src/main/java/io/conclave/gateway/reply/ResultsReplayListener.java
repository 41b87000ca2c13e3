package io.conclave.gateway.reply;

import io.conclave.gateway.GatewayConfig;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Starts each assigned {@code conclave.results} partition at the first record of the replay
 * window (an hour by default): every replica has its own consumer group and no committed offset
 * worth keeping, and a result published while it was starting must not be missed.
 */
@Singleton
@Unremovable
@Identifier(ResultsReplayListener.NAME)
public final class ResultsReplayListener implements KafkaConsumerRebalanceListener {

    /** The name {@code consumer-rebalance-listener.name} refers to. */
    public static final String NAME = "results-replay";

    private static final Logger LOG = Logger.getLogger(ResultsReplayListener.class);

    private final GatewayConfig config;
    private final Clock clock;

    @Inject
    public ResultsReplayListener(GatewayConfig config) {
        this(config, Clock.systemUTC());
    }

    public ResultsReplayListener(GatewayConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Runs on the consumer's polling thread, where these blocking consumer calls belong. */
    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long since = clock.millis() - config.results().replayWindow().toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(partition -> query.put(partition, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        List<TopicPartition> replayed = new ArrayList<>();
        List<TopicPartition> nothingRecent = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp offset = offsets.get(partition);
            if (offset == null) {
                nothingRecent.add(partition);
            } else {
                consumer.seek(partition, offset.offset());
                replayed.add(partition);
            }
        }
        if (!nothingRecent.isEmpty()) {
            consumer.seekToEnd(nothingRecent);
        }
        LOG.infof("assigned %s: replaying the last %d ms of %s; nothing that recent in %s", partitions,
                config.results().replayWindow().toMillis(), replayed, nothingRecent);
    }
}
